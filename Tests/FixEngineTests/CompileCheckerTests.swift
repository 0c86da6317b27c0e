import CrashAnalysis
import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import FixEngine

/// A small C++ tree in TrinityCore's shapes (no `WorldSession::IsBot`, as in TrinityCore itself), its
/// `compile_commands.json`, and the real compiler: a candidate is offered as compiling only when it does.
@Suite(.timeLimit(.minutes(2)), .heavy) struct CompileCheckerTests {
    let tree = CppTree("cw-compile")
    var root: String { tree.root }

    static let unitHeader = """
        #pragma once
        #include <cstdint>
        typedef std::uint32_t uint32;
        typedef std::int32_t int32;
        struct SpellInfo;
        struct CleanDamage {};
        enum DamageEffectType { DIRECT_DAMAGE = 0 };
        enum SpellSchoolMask { SPELL_SCHOOL_MASK_NORMAL = 1 };
        class Player;
        class Unit
        {
        public:
            virtual ~Unit() = default;
            virtual Player* ToPlayer() { return nullptr; }
            bool IsImmunedToDamage(SpellInfo const*) const { return false; }
            void ModifyHealth(int32) {}
            static uint32 DealDamage(Unit* attacker, Unit* victim, uint32 damage, CleanDamage const* cleanDamage,
                DamageEffectType damagetype, SpellSchoolMask damageSchoolMask, SpellInfo const* spellProto,
                bool durabilityLoss);
        };

        """

    static let playerHeader = """
        #pragma once
        #include "Unit.h"
        class WorldSession
        {
        public:
            bool PlayerLoading() const { return false; }
        };
        class Player : public Unit
        {
        public:
            Player* ToPlayer() override { return this; }
            WorldSession* GetSession() const { return m_session; }
            struct SpellMods { uint32 Apply(uint32 damage) const { return damage; } };
            SpellMods* m_spellModTakingDamage = nullptr;
        private:
            WorldSession* m_session = nullptr;
        };

        """

    static let unitSource = """
        #include "Unit.h"
        #include "Player.h"

        uint32 Unit::DealDamage(Unit* attacker, Unit* victim, uint32 damage, CleanDamage const* cleanDamage, DamageEffectType damagetype,
            SpellSchoolMask damageSchoolMask, SpellInfo const* spellProto, bool durabilityLoss)
        {
            if (victim->IsImmunedToDamage(spellProto))
                return 0;

            if (Player* player = victim->ToPlayer())
                damage = player->m_spellModTakingDamage->Apply(damage);

            victim->ModifyHealth(-int32(damage));
            return damage;
        }

        """

    /// Player.h as a Playerbot fork has it: `WorldSession::IsBot`.
    static func playerHeader(bot: Bool) -> String {
        playerHeader.replacingOccurrences(
            of: "    bool PlayerLoading() const { return false; }",
            with: "    bool PlayerLoading() const { return false; }\n    bool IsBot() const { return true; }")
    }

    static let unitFile = "src/server/game/Entities/Unit/Unit.cpp"
    static let playerFile = "src/server/game/Entities/Player/Player.h"

    init() throws {
        try write(Self.unitHeader, to: "src/server/game/Entities/Unit/Unit.h")
        try write(Self.playerHeader, to: Self.playerFile)
        try write(Self.unitSource, to: Self.unitFile)
        try write("build/\n", to: ".gitignore")
        let compiler = try CppTree.compiler()
        let database = """
            [{"directory": "\(root)/build", "file": "\(root)/\(Self.unitFile)",
              "command": "\(compiler) -std=c++17 -I\(root)/src/server/game/Entities/Unit -I\(root)/src/server/game/Entities/Player -MD -MF deps.d -o Unit.cpp.o -c \(root)/\(Self.unitFile)"}]
            """
        try write(database, to: "build/compile_commands.json")
        try tree.commitEverything("tree")
    }

    func write(_ text: String, to path: String) throws { try tree.write(text, to: path) }

    @discardableResult
    func git(_ arguments: [String]) throws -> String { try tree.git(arguments) }

    func proposals() throws -> [FixCandidate] {
        let result = try FixProposerTests.analyzer().analyze(text: FixProposerTests.dealDamageCrash)
        return FixProposer(sourceRoot: root).candidates(for: result)
    }

    @Test func theBotGuardDoesNotCompileOnATreeWithoutIsBotAndCannotBeApproved() throws {
        let candidates = try proposals()
        let botGuard = try #require(candidates.first { $0.source == "template:bot-guard" })
        guard case .fails(let unit, let error) = botGuard.compileCheck else {
            Issue.record("expected a compile failure, got \(String(describing: botGuard.compileCheck))")
            return
        }
        #expect(unit == Self.unitFile)
        #expect(error.hasPrefix("\(Self.unitFile):"), "\(error)")
        #expect(error.contains("IsBot"), "\(error)")
        #expect(!botGuard.canBeApproved)
        #expect(!botGuard.canBeAppliedAutomatically)
        // The user's tree is as it was, and no scratch worktree is left registered.
        #expect(try git(["status", "--porcelain"]).isEmpty)
        #expect(try git(["worktree", "list"]).split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: "\(root)/build/deps.d"), "nothing written into the build")
    }

    @Test func onAPlayerbotTreeTheSamePatchCompiles() throws {
        // What a Playerbot fork adds: the bot flag the template tests.
        try write(Self.playerHeader(bot: true), to: Self.playerFile)
        try git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "playerbot"])
        let botGuard = try #require(try proposals().first)
        #expect(botGuard.source == "template:bot-guard")
        #expect(botGuard.compileCheck == .compiles(units: [Self.unitFile]))
        // It compiles, but it only skips the read: a person decides, auto mode never applies it.
        #expect(botGuard.canBeApproved && botGuard.isSymptomOnly && !botGuard.canBeAppliedAutomatically)
    }

    /// What a Playerbot module adds: a bot login that skips the setup a client's login runs.
    static let botLoginFile = "src/server/game/Playerbot/PlayerbotMgr.cpp"
    static let botLoginSource = """
        #include "Player.h"

        class PlayerbotHolder
        {
        public:
            void HandlePlayerBotLoginCallback(WorldSession* botSession);
        };

        void PlayerbotHolder::HandlePlayerBotLoginCallback(WorldSession* botSession)
        {
            Player* bot = botSession->GetPlayer();
            if (!bot)
                return;
            bot->SetBotLogin(true);
        }

        """
    static let clientLoginFile = "src/server/game/Handlers/CharacterHandler.cpp"
    static let clientLoginSource = """
        #include "Player.h"

        void WorldSession::HandlePlayerLogin(Player* pCurrChar)
        {
            pCurrChar->InitSpellMods();
            pCurrChar->SetBotLogin(false);
        }

        """

    @Test func theBotLoginIsGivenTheSetupAClientsLoginRunsAndThatIsTheCauseFix() throws {
        let player = Self.playerHeader(bot: true).replacingOccurrences(
            of: "    bool PlayerLoading() const { return false; }",
            with: """
                    bool PlayerLoading() const { return false; }
                    Player* GetPlayer() const { return m_player; }
                    void HandlePlayerLogin(Player* pCurrChar);
                    Player* m_player = nullptr;
                """
        ).replacingOccurrences(
            of: "    SpellMods* m_spellModTakingDamage = nullptr;",
            with: """
                    SpellMods* m_spellModTakingDamage = nullptr;
                    // Set up by a client's login (the spell-mod packets); a bot's login never sends them.
                    void InitSpellMods()
                    {
                        m_spellModTakingDamage = &m_spellMods;
                    }
                    void SetBotLogin(bool) {}
                    SpellMods m_spellMods;
                """)
        try write(player, to: Self.playerFile)
        try write(Self.botLoginSource, to: Self.botLoginFile)
        try write(Self.clientLoginSource, to: Self.clientLoginFile)
        let compiler = try CppTree.compiler()
        let units = [Self.unitFile, Self.botLoginFile, Self.clientLoginFile].map { file in
            """
            {"directory": "\(root)/build", "file": "\(root)/\(file)",
              "command": "\(compiler) -std=c++17 -I\(root)/src/server/game/Entities/Unit -I\(root)/src/server/game/Entities/Player -o x.o -c \(root)/\(file)"}
            """
        }
        try write("[" + units.joined(separator: ",\n") + "]", to: "build/compile_commands.json")
        try git(["add", "."])
        try git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "playerbot module"])

        let candidates = try proposals()
        let setup = try #require(candidates.first)
        #expect(setup.source == "template:bot-login-setup", "\(candidates.map(\.source))")
        #expect(setup.title == "bot-login-setup in PlayerbotHolder::HandlePlayerBotLoginCallback")
        #expect(setup.filesTouched == [Self.botLoginFile])
        let diff = try #require(setup.diff)
        // After the null check, where the bot is known to exist.
        #expect(
            diff.contains(
                "     if (!bot)\n         return;\n+    // crashwatch: bot-login-setup for crash group"), "\(diff)")
        #expect(diff.contains("+    bot->InitSpellMods();\n     bot->SetBotLogin(true);"), "\(diff)")
        #expect(setup.explanation.contains("\(Self.clientLoginFile):5"), "\(setup.explanation)")
        #expect(setup.evidence.contains("m_spellModTakingDamage is set up by InitSpellMods() (\(Self.playerFile))"))
        #expect(
            setup.evidence.contains {
                $0.hasPrefix("the bot login PlayerbotHolder::HandlePlayerBotLoginCallback (\(Self.botLoginFile):")
            }, "\(setup.evidence)")
        #expect(setup.compileCheck == .compiles(units: [Self.botLoginFile]))
        #expect(!setup.isSymptomOnly && setup.canBeAppliedAutomatically)
        // The guard in DealDamage is still offered, after it, as what it is.
        let botGuard = try #require(candidates.first { $0.source == "template:bot-guard" })
        #expect(botGuard.isSymptomOnly && !botGuard.canBeAppliedAutomatically)

        // Once the login calls it, this crash has another cause: the template says so rather than add it twice.
        _ = try GitPatchApplier(root: root).apply(diff: diff, groupID: "g", message: "setup")
        let again = try #require(try proposals().first { $0.source == "template:bot-login-setup" })
        #expect(again.diff == nil)
        #expect(
            again.problem
                == "every bot login already calls InitSpellMods() (PlayerbotHolder::HandlePlayerBotLoginCallback): this crash has another cause",
            "\(again.problem ?? "")")
    }

    @Test func uncommittedEditsAreCompiledWithTheCandidate() throws {
        // The bot flag exists only in the working tree: the check must see it, and must leave it there.
        let edited = Self.playerHeader(bot: true)
        try write(edited, to: Self.playerFile)
        let botGuard = try #require(try proposals().first { $0.source == "template:bot-guard" })
        #expect(
            botGuard.compileCheck == .compiles(units: [Self.unitFile]), "\(String(describing: botGuard.compileCheck))")
        #expect(try String(contentsOfFile: "\(root)/\(Self.playerFile)", encoding: .utf8) == edited)
        #expect(try git(["status", "--porcelain"]) == " M \(Self.playerFile)\n")
    }

    @Test func aHeaderChangeIsCheckedThroughAUnitThatIncludesIt() throws {
        let database = try #require(try CompileDatabase.find(sourceRoot: root, buildDirectory: nil))
        let checker = CompileChecker(sourceRoot: root, database: database)
        func candidate(_ replacement: String) throws -> FixCandidate {
            let lines = Self.playerHeader.components(separatedBy: "\n")
            let index = try #require(lines.firstIndex(of: "    bool PlayerLoading() const { return false; }"))
            let diff = UnifiedDiff.insertion(
                file: Self.playerFile, lines: lines, after: index, inserted: [replacement])
            return FixCandidate(
                source: "test", title: "header", diff: diff, file: Self.playerFile, explanation: "",
                isSymptomOnly: false, confidence: 1, evidence: [])
        }
        let checked = checker.check([
            try candidate("    bool IsBot() const { return false; }"),
            try candidate("    bool IsBot() const { return undeclared; }"),
        ])
        #expect(checked[0].compileCheck == .compiles(units: [Self.unitFile]))
        guard case .fails(_, let error) = checked[1].compileCheck else {
            Issue.record("got \(String(describing: checked[1].compileCheck))")
            return
        }
        #expect(error.hasPrefix("\(Self.playerFile):"), "\(error)")
        #expect(error.contains("undeclared"))
    }

    @Test func aHeaderIncludedOnlyThroughAnotherHeaderIsCheckedToo() throws {
        let deep = "src/server/shared/Networking/Socket.h"
        try write("#pragma once\nstruct Socket\n{\n    void CloseSocket()\n    {\n    }\n};\n", to: deep)
        try write(
            Self.playerHeader.replacingOccurrences(
                of: "#include \"Unit.h\"", with: "#include \"Unit.h\"\n#include \"Socket.h\""), to: Self.playerFile)
        try git(["add", "."])
        try git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "socket"])
        let database = try #require(try CompileDatabase.find(sourceRoot: root, buildDirectory: nil))
        #expect(database.unit(for: "\(root)/\(deep)") == nil, "no unit includes it directly")
        #expect(database.unit(for: "\(root)/\(deep)", headersUnder: root)?.file == "\(root)/\(Self.unitFile)")
    }

    @Test func withoutACompileDatabaseNothingIsCalledCompiling() throws {
        try FileManager.default.removeItem(atPath: "\(root)/build/compile_commands.json")
        let candidates = try proposals().filter { $0.diff != nil }
        #expect(!candidates.isEmpty)
        for candidate in candidates {
            guard case .notChecked(let why) = candidate.compileCheck else {
                Issue.record("got \(String(describing: candidate.compileCheck))")
                continue
            }
            #expect(why.contains("CMAKE_EXPORT_COMPILE_COMMANDS=ON"))
            #expect(candidate.canBeApproved, "a person may still approve what was not checked")
            #expect(!candidate.canBeAppliedAutomatically, "auto applies nothing unchecked")
        }
        try "{ not json".write(toFile: "\(root)/build/compile_commands.json", atomically: true, encoding: .utf8)
        let broken = try #require(try proposals().first?.compileCheck)
        #expect("\(broken)".contains("is not a compile database"), "\(broken)")
    }

    @Test func aUnitThatFailsWithoutThePatchSaysNothingAboutThePatch() throws {
        // The user's database does not fit their tree (as a hand-made one may not): the unit fails on its own.
        try write(Self.unitSource + "\nstatic int broken = not_declared_anywhere;\n", to: Self.unitFile)
        try git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "broken unit"])
        let check = try #require(try proposals().first?.compileCheck)
        guard case .notChecked(let why) = check else {
            Issue.record("a failure that is not the patch's must not be blamed on it: got \(check)")
            return
        }
        #expect(why.contains("does not compile without the patch either"), "\(why)")
        #expect(why.contains("not_declared_anywhere"))
    }

    @Test func aHeaderWhoseFirstIncludingUnitIsBrokenAloneIsCheckedThroughTheNext() throws {
        // Socket.h on the real tree: the first unit that includes it did not compile on its own with the database's
        // flags, so its change was never checked. Another unit that includes it does compile.
        let socket = "src/server/shared/Networking/Socket.h"
        let socketText = "#pragma once\nstruct Socket\n{\n    void CloseSocket()\n    {\n    }\n};\n"
        try write(socketText, to: socket)
        try write(
            "#include \"Socket.h\"\nstatic int broken = not_declared_anywhere;\n", to: "src/server/a/AuthSession.cpp")
        try write("#include \"Socket.h\"\nvoid f() { Socket().CloseSocket(); }\n", to: "src/server/b/WorldSocket.cpp")
        let compiler = try CppTree.compiler()
        let include = "-I\(root)/src/server/shared/Networking"
        try write(
            """
            [{"directory": "\(root)/build", "file": "\(root)/src/server/a/AuthSession.cpp",
              "command": "\(compiler) -std=c++17 \(include) -c \(root)/src/server/a/AuthSession.cpp"},
             {"directory": "\(root)/build", "file": "\(root)/src/server/b/WorldSocket.cpp",
              "command": "\(compiler) -std=c++17 \(include) -c \(root)/src/server/b/WorldSocket.cpp"}]
            """, to: "build/compile_commands.json")
        try git(["add", "."])
        try git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "socket"])
        let database = try #require(try CompileDatabase.find(sourceRoot: root, buildDirectory: nil))
        let checker = CompileChecker(sourceRoot: root, database: database)
        func candidate(_ body: String) -> FixCandidate {
            let lines = SourceLocator.lines(of: socketText)
            return FixCandidate(
                source: "test", title: "socket",
                diff: UnifiedDiff.insertion(
                    file: socket, lines: lines, after: 4, inserted: [body]), file: socket, explanation: "",
                isSymptomOnly: false, confidence: 1, evidence: [])
        }
        let checked = checker.check([
            candidate("        int closed = 1; (void)closed;"), candidate("        undeclared();"),
        ])
        #expect(
            checked[0].compileCheck == .compiles(units: ["src/server/b/WorldSocket.cpp"]),
            "\(String(describing: checked[0].compileCheck))")
        guard case .fails(let unit, let error) = checked[1].compileCheck else {
            Issue.record("got \(String(describing: checked[1].compileCheck))")
            return
        }
        #expect(unit == "src/server/b/WorldSocket.cpp")
        #expect(error.contains("undeclared"), "\(error)")
    }

    @Test func compileCommandsAreSplitAndMadeSyntaxOnly() {
        #expect(
            ShellWords.split(#"g++ -DNAME="a b" -I'/x y' -c\ d.cpp"#) == ["g++", "-DNAME=a b", "-I/x y", "-c d.cpp"])
        #expect(
            CompileChecker.syntaxOnly(["g++", "-MD", "-MF", "x.d", "-o", "x.o", "-c", "x.cpp"])
                == ["g++", "x.cpp", "-fsyntax-only"])
    }
}
