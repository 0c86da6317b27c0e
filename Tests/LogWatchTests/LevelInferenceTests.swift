import Foundation
import LogWatch
import TestSupport
import Testing

/// Levels guessed for TrinityCore's unprefixed `Server.log`, on lines in the server's own wording (its `TC_LOG_ERROR`
/// sites), and the shipped `null` flag only on null wording.
@Suite struct LevelInferenceTests {
    @Test(arguments: [
        "AuraEffect::HandleProcTriggerSpellAuraProc: Could not trigger spell 0 from aura 81662 proc, because the spell does not have an entry in Spell.dbc.",
        "Spell::EffectTriggerSpell spell 7405 tried to trigger unknown spell 58568",
        "bad argument #1 to 'Player.__tostring' (bad argument : Player expected, got number)",
        "Target from GetVictim(): null",
    ])
    func errorsThatDominateARealRealmAreErrors(line: String) {
        #expect(LevelInference.infer(Substring(line)) == .error)
    }

    @Test(arguments: [
        "Starting up anti-freeze thread (60 seconds max stuck time)...",
        ">> Loaded 37016 creature definitions in 812 ms",
        "World initialized in 0 minutes 4 seconds",
    ])
    func startUpLinesThatNameAFailureModeAreNotWarnings(line: String) {
        #expect(LevelInference.infer(Substring(line)) == nil)
    }

    @Test func theShippedNullFlagIsForNullWordingOnly() throws {
        var rules = SuspiciousRules()
        let path = Repository.path("Rules/suspicious.txt")
        try rules.add(try String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(rules.flags(for: "Target from GetVictim(): null").contains("null"))
        #expect(rules.flags(for: "Player::Update: this=0x0").contains("null"))
        for line in [
            "Table `creature_addon` has a record for non-existing creature (GUID: 1209), skipped.",
            "SmartAIMgr: Entry 2110 Link Event 4 not found or invalid.",
            "Creature (GUID: 5521) does not exist but has a record in `creature_formations`",
        ] {
            #expect(!rules.flags(for: line).contains("null"), "\(line)")
        }
    }
}
