import Foundation

/// The demo's TrinityCore-shaped source tree: `Unit::DealDamage` reads the spell mods of a bot player that never had
/// them set up — the bug the simulated server crashes on.
///
/// The bot-login-setup template repairs its cause (the bot login in `Main.cpp` skips `InitSpellMods`); the bot-guard
/// template, symptom only, skips the read.
public enum DemoSourceTree {
    public static let unitFile = "src/server/game/Entities/Unit/Unit.cpp"

    public static let unitSource = """
        /*
         * Demo tree for crashwatch, shaped like TrinityCore's src/server/game/Entities/Unit/Unit.cpp.
         */

        #include "Unit.h"
        #include "Player.h"

        uint32 Unit::DealDamage(Unit* attacker, Unit* victim, uint32 damage, CleanDamage const* cleanDamage, DamageEffectType damagetype,
            SpellSchoolMask damageSchoolMask, SpellInfo const* spellProto, bool durabilityLoss)
        {
            if (victim->IsImmunedToDamage(spellProto))
                return 0;

            // A bot player's spell mods are never set up at login: this reads through a null list for bots.
            if (Player* player = victim->ToPlayer())
            {
                for (uint32 i = 0; i < player->m_spellModTakingDamage->count; ++i)
                    damage = (*player->m_spellModTakingDamage)[i]->Apply(damage);
            }

            victim->ModifyHealth(-int32(damage));
            return damage;
        }

        """

    /// Writes the tree into `folder` as a git repository with one commit: `Unit.cpp`, and the rest of the C++
    /// program (`DemoProgram`) that a real compiler builds.
    public static func create(at folder: String) throws {
        for (path, text) in [(unitFile, unitSource)] + DemoProgram.files {
            let file = "\(folder)/\(path)"
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }
        try git(["init", "-q", "-b", "main"], in: folder)
        try git(["add", "."], in: folder)
        try git(
            ["-c", "user.name=crashwatch demo", "-c", "user.email=demo@localhost", "commit", "-q", "-m", "demo tree"],
            in: folder)
    }

    /// What the simulated build makes of the tree: whether `DealDamage` still crashes for bots, or why it fails.
    public enum BuildResult: Equatable, Sendable {
        case buggy, fixed
        case failed(String)
    }

    public static func build(_ folder: String) -> BuildResult {
        guard let text = try? String(contentsOfFile: "\(folder)/\(unitFile)", encoding: .utf8) else {
            return .failed("\(unitFile) is missing")
        }
        // The simulated compiler checks what a real one would catch first: balanced braces and parentheses.
        var braces = 0, parentheses = 0
        for character in text {
            switch character {
            case "{": braces += 1
            case "}": braces -= 1
            case "(": parentheses += 1
            case ")": parentheses -= 1
            default: break
            }
        }
        guard braces == 0, parentheses == 0 else { return .failed("\(unitFile): unbalanced braces or parentheses") }
        guard let start = text.range(of: "Unit::DealDamage("), let body = text[start.upperBound...].range(of: "{")
        else {
            return .failed("\(unitFile): Unit::DealDamage not found")
        }
        let functionBody = text[body.upperBound...]
        guard let read = functionBody.range(of: "m_spellModTakingDamage") else { return .fixed }
        // Fixed at the cause: the bot login sets the spell mods up, as World::Start does for the others.
        if let main = try? String(contentsOfFile: "\(folder)/\(DemoProgram.mainFile)", encoding: .utf8),
            let login = main.range(of: "void World::LoginBot()"),
            let end = main[login.upperBound...].range(of: "\n}"),
            main[login.upperBound..<end.lowerBound].contains("->InitSpellMods();")
        {
            return .fixed
        }
        // Fixed when a bot check comes before the spell mods are read.
        guard let check = functionBody.range(of: "IsBot()") else { return .buggy }
        return check.lowerBound < read.lowerBound ? .fixed : .buggy
    }

    private static func git(_ arguments: [String], in folder: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(
                .fileWriteUnknown,
                userInfo: [NSLocalizedDescriptionKey: "git \(arguments.first ?? "") failed in \(folder)"])
        }
    }
}
