import CrashAnalysis
import Foundation
import TestSupport
import Testing

@testable import FixEngine

/// A log line in a file that logs nothing: written the way the files beside it log (printf-style here), with the log
/// header included when the file lacks it, and enums printed as numbers — checked by the real compiler.
@Suite(.timeLimit(.minutes(2)), .heavy) struct LogIncludeTests {
    let tree = CppTree("cw-log-include")
    var root: String { tree.root }

    static let logHeader = """
        #pragma once
        #include <cstdio>
        #include <string>
        // printf-style, as TrinityCore logged before fmt.
        #define TC_LOG_DEBUG(filter, ...) std::printf(__VA_ARGS__)
        #define TC_LOG_ERROR(filter, ...) std::printf(__VA_ARGS__)

        """
    static let spellDefines = """
        #pragma once
        #include <cstdint>
        typedef std::uint32_t uint32;
        enum SpellEffIndex : std::uint8_t { EFFECT_0 = 0, EFFECT_1 = 1, EFFECT_2 = 2 };
        class Unit { public: int GetMapId() const { return 0; } };
        class Spell
        {
        public:
            void EffectTeleportUnits(SpellEffIndex effIndex, Unit* target, uint32 spellId);
        };

        """
    /// Logs nothing and includes no log header.
    static let spellEffects = """
        #include "SpellDefines.h"

        void Spell::EffectTeleportUnits(SpellEffIndex effIndex, Unit* target, uint32 spellId)
        {
            int map = target->GetMapId();
            (void)map;
        }

        """
    /// Beside it: how the tree logs.
    static let spellMgr = """
        #include "SpellDefines.h"
        #include "Log.h"

        void LoadSpells(uint32 id)
        {
            TC_LOG_ERROR("spells", "Spell %u has no effect", id);
        }

        """
    static let effectsFile = "src/server/game/Spells/SpellEffects.cpp"

    init() throws {
        try tree.write(Self.logHeader, to: "src/common/Logging/Log.h")
        try tree.write(Self.spellDefines, to: "src/server/game/Spells/SpellDefines.h")
        try tree.write(Self.spellEffects, to: Self.effectsFile)
        try tree.write(Self.spellMgr, to: "src/server/game/Spells/SpellMgr.cpp")
        let compiler = try CppTree.compiler()
        try tree.write(
            """
            [{"directory": "\(root)/build", "file": "\(root)/\(Self.effectsFile)",
              "command": "\(compiler) -std=c++17 -Wall -Werror=format -I\(root)/src/common/Logging -I\(root)/src/server/game/Spells -o x.o -c \(root)/\(Self.effectsFile)"}]
            """, to: "build/compile_commands.json")
        try tree.write("build/\n", to: ".gitignore")
        try tree.commitEverything("tree")
    }

    static let crash = """
        Program terminated with signal SIGSEGV, Segmentation fault.
        #0  0x0000556d48e636c6 in Spell::EffectTeleportUnits (this=0x1, effIndex=EFFECT_0, target=0x0, spellId=66) at /home/tc/src/server/game/Spells/SpellEffects.cpp:5
        #1  0x0000556d49260b9e in Spell::HandleEffects (this=0x1) at /home/tc/src/server/game/Spells/Spell.cpp:5210
        """

    @Test func theLogLineIsWrittenAsTheTreeLogsIncludesTheHeaderAndCompiles() throws {
        let result = try FixProposerTests.analyzer().analyze(text: Self.crash)
        let candidates = FixProposer(sourceRoot: root).candidates(for: result)
        let logging = try #require(candidates.first { $0.source == "template:debug-logging" })
        let diff = try #require(logging.diff, "\(logging.problem ?? "")")
        #expect(diff.contains(" #include \"SpellDefines.h\"\n+#include \"Log.h\"\n"), "\(diff)")
        #expect(
            diff.contains(
                #"TC_LOG_DEBUG("spells", "Spell::EffectTeleportUnits effIndex=%s target=%p spellId=%s", std::to_string(static_cast<long long>(effIndex)).c_str(), static_cast<void const*>(target), std::to_string(spellId).c_str());"#
            ), "\(diff)")
        #expect(logging.explanation.contains("It adds #include \"Log.h\""), "\(logging.explanation)")
        #expect(
            logging.explanation.contains("printf-style, as the files beside it log (it logs nothing itself)"),
            "\(logging.explanation)")
        #expect(
            logging.compileCheck == .compiles(units: [Self.effectsFile]), "\(String(describing: logging.compileCheck))")
        // The guard at the crashing line logs too, and so includes the header as well.
        let guardCandidate = try #require(candidates.first { $0.source == "template:crash-line-guard" })
        let guardDiff = try #require(guardCandidate.diff, "\(guardCandidate.problem ?? "")")
        #expect(guardDiff.contains("+#include \"Log.h\"\n"), "\(guardDiff)")
        #expect(guardDiff.contains(#"TC_LOG_ERROR("spells", "#), "\(guardDiff)")
        #expect(guardCandidate.compileCheck == .compiles(units: [Self.effectsFile]))
    }

    /// `game/Combat` logs nothing at all; `game/Accounts`, beside it, logs printf-style: so does the patch.
    @Test func aFolderThatLogsNothingTakesTheStyleOfItsNeighbours() throws {
        let combat = "src/server/game/Combat/ThreatManager.cpp"
        try tree.write("#include \"SpellDefines.h\"\nvoid Threat(uint32 x)\n{\n}\n", to: combat)
        try tree.write(
            "#include \"Log.h\"\nvoid Load(uint32 id)\n{\n    TC_LOG_INFO(\"server.loading\", \"Loaded %u accounts\", id);\n}\n",
            to: "src/server/game/Accounts/AccountMgr.cpp")
        let conventions = LogConventions.forFile(combat, lines: ["void Threat(uint32 x)", "{", "}"], root: root)
        #expect(conventions.style == .printf && conventions.logger == "misc", "their style, not their logger")
        #expect(conventions.learnedFrom == "as the files near it log (it logs nothing itself)")
    }

    @Test func aFileThatLogsAlreadyGetsNoInclude() throws {
        try tree.write(
            Self.spellEffects.replacingOccurrences(
                of: "    (void)map;", with: "    (void)map;\n    TC_LOG_ERROR(\"spells\", \"map %d\", map);"
            ).replacingOccurrences(
                of: "#include \"SpellDefines.h\"", with: "#include \"SpellDefines.h\"\n#include \"Log.h\""),
            to: Self.effectsFile)
        let lines = try String(contentsOfFile: "\(root)/\(Self.effectsFile)", encoding: .utf8).components(
            separatedBy: "\n")
        let conventions = LogConventions.forFile(
            Self.effectsFile, lines: lines, root: root, parameterTypes: ["SpellEffIndex", "Unit*", "uint32"])
        #expect(conventions.missingInclude == nil)
        #expect(conventions.style == .printf && conventions.logger == "spells")
        #expect(conventions.enums == ["SpellEffIndex"])
    }
}
