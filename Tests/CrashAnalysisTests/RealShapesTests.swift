import Foundation
import Testing

@testable import CrashAnalysis

/// The layouts operators really post (fixtures under `Fixtures/real-shapes/`, written in our own words in the shapes
/// of public issue threads): every frame of the crashing thread once, the right thread, and a signature that neither
/// splits one crash nor merges two.
@Suite struct RealShapesTests {
    private func analyze(_ name: String, qualify: (@Sendable (String, String?) -> String?)? = nil) throws
        -> CrashAnalysisResult
    {
        try TestRules.analyzer().analyze(text: try TestRules.fixture("real-shapes/\(name)"), qualify: qualify)
    }

    @Test func gdbSignalLineThenFullBacktraceKeepsEveryFrameOnce() throws {
        let result = try analyze("gdb-signal-then-bt")
        let frames = try #require(result.report.crashingThread?.frames)
        #expect(frames.count == 8)
        #expect(
            frames.map(\.function) == [
                "Aura::GetCaster", "AuraEffect::HandlePeriodicDamageAurasTick", "AuraEffect::PeriodicTick",
                "AuraEffect::Update",
                "Aura::UpdateOwner", "Unit::_UpdateSpells", "Unit::Update", "Map::Update",
            ])
        #expect(frames[1].arguments?.contains("caster=0x0") == true, "the wrapped argument list is joined")
        #expect(result.signature.signature == "SIGSEGV | Aura::GetCaster")
        #expect(result.diagnosis.clues.contains { $0.text.contains("`caster` is null in frame 1") })
        #expect(result.diagnosis.clues.contains { $0.text.contains("the object (`this`) is null in frame 0") })
    }

    @Test func unmarkedAndInlinedFramesAndAbiTags() throws {
        let result = try analyze("gdb-unmarked-inline")
        let frames = try #require(result.report.crashingThread?.frames)
        #expect(frames.count == 5)
        #expect(frames[2].isInline)
        #expect(
            result.signature.signature
                == "SIGSEGV | std::_Rb_tree<T>::find | std::map<T>::find | ObjectMgr::GetQuestTemplate")
    }

    @Test func theSignalledThreadInTheMiddleOfAllThreads() throws {
        let result = try analyze("gdb-all-threads-middle")
        #expect(result.report.crashingThread?.id == "6")
        #expect(result.report.threads.count == 3)
        #expect(result.signature.signature == "SIGSEGV | GridNotifiers::VisibleChangesNotifier::Visit")
    }

    @Test func boostStacktraceSkipsTheSignalHandler() throws {
        let result = try analyze("boost-stacktrace")
        #expect(result.report.format == .boostStacktrace)
        #expect(result.report.exceptionCode == "SIGSEGV")
        #expect(result.report.crashingThread?.frames[2].file == "/src/server/game/Entities/Creature/Creature.cpp")
        #expect(result.signature.signature == "SIGSEGV | Creature::SelectVictim")
    }

    @Test func glibcBacktraceWithMangledNamesAndAnAssert() throws {
        let result = try analyze("glibc-backtrace")
        #expect(result.report.format == .glibcBacktrace)
        #expect(result.report.crashingThread?.frames.first?.function == "Map::Remove<Creature>")
        #expect(result.report.assertion?.function == "Remove")
        #expect(result.signature.signature == "ASSERTION | Map::Remove<T>")
    }

    @Test(
        arguments: [
            ("_ZN4UnitD1Ev", "Unit::~Unit"),
            ("_ZN6PlayerD0Ev", "Player::~Player"),
            ("_ZN3Map6RemoveI10GameObjectEEvPT_b", "Map::Remove<GameObject>"),
            ("_ZN11ChatHandler24HandlePartyBotAddCommandEPc", "ChatHandler::HandlePartyBotAddCommand"),
            ("_ZN13WorldRunnableclEv", "WorldRunnable::operator()"),
            ("_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector<int, std::allocator<int> >::push_back"),
            ("_ZN7Trinity13ObjectUpdater5VisitI8CreatureEEvR7GridRefIT_E", "Trinity::ObjectUpdater::Visit<Creature>"),
            ("_Z17ByteArrayToHexStrB5cxx11PKhjb", "ByteArrayToHexStr"),
            ("not_mangled", nil),
        ] as [(String, String?)])
    func demangles(symbol: String, expected: String?) {
        #expect(ItaniumDemangler.demangle(symbol) == expected)
    }

    @Test func retypedAssertReadsLikeTheOriginal() throws {
        let original = try analyze("assert-original"), retyped = try analyze("assert-retyped")
        #expect(retyped.report.assertion?.file == "/src/server/game/Entities/Unit/Unit.cpp")
        #expect(retyped.report.assertion?.line == 4021)
        #expect(retyped.report.assertion?.function == "Unit::RemoveOwnedAura")
        #expect(original.report.assertion?.message == nil, "the shell's `Aborted` is not the assert's message")
        // Without a tree the bare method stays bare, with its file; a tree qualifies it the same way every time.
        #expect(original.signature.signature == "ASSERTION | RemoveOwnedAura (Unit.cpp) | aura->GetOwner()==this")
        let tree: @Sendable (String, String?) -> String? = { method, _ in
            method == "RemoveOwnedAura" ? "Unit::RemoveOwnedAura" : nil
        }
        let qualified = try analyze("assert-original", qualify: tree)
        #expect(qualified.signature.signature == retyped.signature.signature)
        #expect(
            qualified.signature.signature == "ASSERTION | Unit::RemoveOwnedAura (Unit.cpp) | aura->GetOwner()==this")
        #expect(qualified.diagnosis.rootCause.text.hasPrefix("An assertion failed"))
    }

    @Test func symbolLessWindowsReportsGroupBySectionOffset() throws {
        let a = try analyze("wheaty-nosym-a"), b = try analyze("wheaty-nosym-b")
        #expect(a.signature.signature == "ACCESS_VIOLATION | worldserver.exe@0001:00000000001A2B3D")
        #expect(
            a.signature.groupKey == b.signature.groupKey, "ASLR moved every address; the section offsets are the same")
        #expect(!a.diagnosis.verdict.actionable)
        #expect(a.diagnosis.verdict.problems.contains { $0.text.contains("worldserver.pdb") })
        #expect(
            a.diagnosis.verdict.problems.contains {
                $0.text.contains("RelWithDebInfo") && $0.text.hasPrefix("A Release build")
            })
    }

    @Test func unrelatedStacklessReportsStayApart() throws {
        let a = try analyze("stackless-a"), b = try analyze("stackless-b")
        #expect(a.signature.signature.hasPrefix("UNKNOWN | text#"))
        #expect(a.signature.groupKey != b.signature.groupKey)
        #expect(a.signature.note?.contains("fingerprint") == true)
        #expect(try analyze("stackless-a").signature == a.signature, "the same text signs the same way")
    }

    @Test func freezeIsSignedByTheHungWorldThread() throws {
        let result = try analyze("gdb-freeze-all-threads")
        #expect(result.report.isFreeze)
        #expect(result.report.crashingThread?.id == "1")
        #expect(result.signature.signature == "FREEZE | std::mutex::lock | BattlegroundMgr::Update")
        #expect(result.diagnosis.rootCause.text.lowercased().contains("freeze"))
    }

    @Test func aSigcontStopIsNotACrash() throws {
        let result = try analyze("gdb-sigcont")
        #expect(!result.diagnosis.verdict.actionable)
        #expect(result.diagnosis.rootCause.text.hasPrefix("Not a crash"))
        #expect(result.diagnosis.severity == .low)
        #expect(result.diagnosis.suggestions.isEmpty)
    }

    @Test func utf16ReportsAreDecoded() throws {
        let url = try #require(
            Bundle.module.url(forResource: "Fixtures/real-shapes/wheaty-utf16", withExtension: "txt"))
        let text = ReportDecoder.decode(try Data(contentsOf: url))
        let result = try TestRules.analyzer().analyze(text: text)
        #expect(result.signature.signature == "ACCESS_VIOLATION | Battleground::EndBattleground")
        #expect(result.report.buildHash == "1a2b3c4d5e6f")
        #expect(result.diagnosis.verdict.actionable)
        // NUL padding and a stray NUL are dropped, not taken as binary.
        let padded = ReportDecoder.decode(
            Array(
                "Program terminated with signal SIGSEGV, Segmentation fault.\n#0  0x1 in A::b (this=0x0) at a.cpp:1\n"
                    .utf8) + [0, 0, 0, 0])
        #expect(try TestRules.analyzer().analyze(text: padded).signature.signature == "SIGSEGV | A::b")
    }

    @Test(
        arguments: [
            ("TrinityCore rev. 0123456789ab 2016-03-01 12:00:00 +0100 (3.3.5 branch) (Win64, Release)", "0123456789ab"),
            ("TrinityCore rev. 3aaab1f87801+ 2021-07-05 16:45:29 +0300 (master branch)", "3aaab1f87801+"),
            ("TrinityCore rev. 2012-08-04 13:09:11 +0300 (b16fe0bb0a32+) (Win32, Debug)", "b16fe0bb0a32+"),
            ("AzerothCore rev. unknown 1970-01-01 00:00:00 +0000 (Archived branch)", nil),
            ("SunwellCore rev.  () (Win32, Release)", nil),
            ("SkyFireEMU rev. 0000-00-00 00:00:00 +0000 (Archived) (Win32, Release)", nil),
            (
                "Revision: 5f8a6557e055951f449f951d31ef87bed61ab56f / Build: 2026-01-13T01:59:44+03:00",
                "5f8a6557e055951f449f951d31ef87bed61ab56f"
            ),
            ("Revision: * * 2665 *", "r2665"),
            ("Commit Hash: No", nil),
            ("Commit Hash: f450c08f7edaaa8a46d4889656566b4d49d1e0a9", "f450c08f7edaaa8a46d4889656566b4d49d1e0a9"),
        ] as [(String, String?)])
    func revisionLines(line: String, expected: String?) {
        #expect(BuildRevision.hash(in: Substring(line)) == expected)
    }
}

/// A report pasted the ways issue threads and web pages carry it — quoted in a reply, HTML-escaped, fenced,
/// indented as a code block, with CRLF — reads as the report itself: the same signature, the same frames, and the
/// text as read kept.
@Suite struct PastedReportTests {
    static let wrappings: [(String, @Sendable (String) -> String)] = [
        (
            "a reply quote",
            { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "> \($0)" }.joined(separator: "\n") }
        ),
        (
            "a nested quote",
            { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "> > \($0)" }.joined(separator: "\n") }
        ),
        (
            "HTML entities",
            {
                $0.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;")
            }
        ),
        (
            "a quoted web copy",
            { text in
                text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;").split(
                        separator: "\n", omittingEmptySubsequences: false
                    )
                    .map { "&gt; \($0)" }.joined(separator: "\n")
            }
        ),
        ("a code fence", { "```text\n\($0)\n```\n" }),
        (
            "a four-space code block",
            { $0.split(separator: "\n", omittingEmptySubsequences: false).map { "    \($0)" }.joined(separator: "\n") }
        ),
        ("CRLF", { $0.replacingOccurrences(of: "\n", with: "\r\n") }),
        ("no-break spaces", { $0.replacingOccurrences(of: " ", with: "\u{00A0}") }),
        (
            "a blank line after every line",
            { $0.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n\n") }
        ),
        (
            "a console copy cut at 80 columns",
            { text in
                // "\r\n" is one Character: lines are split on both.
                text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).flatMap {
                    line -> [String] in
                    let characters = Array(line)
                    return characters.isEmpty
                        ? [""]
                        : stride(from: 0, to: characters.count, by: 80).map {
                            String(characters[$0..<min($0 + 80, characters.count)])
                        }
                }.joined(separator: "\n")
            }
        ),
    ]

    @Test(arguments: ["gdb-signal-then-bt", "wheaty-tc-map-update", "ac-boxed-assert", "tc-assert-short"])
    func aPastedCopyIsTheSameCrash(_ name: String) throws {
        let text = try Self.text(name)
        let plain = try TestRules.analyzer().analyze(text: text)
        #expect(!plain.signature.signature.contains("text#"), "\(plain.signature.signature)")
        for (wrapping, wrap) in Self.wrappings {
            let pasted = try TestRules.analyzer().analyze(text: wrap(text))
            #expect(pasted.signature.signature == plain.signature.signature, "\(wrapping)")
            #expect(pasted.signature.groupKey == plain.signature.groupKey, "\(wrapping)")
            #expect(
                pasted.report.crashingThread?.frames.map(\.function)
                    == plain.report.crashingThread?.frames.map(\.function),
                "\(wrapping)")
            #expect(pasted.report.rawText == wrap(text), "the text as read is kept: \(wrapping)")
        }
    }

    /// TrinityCore's own indentation (the assertion's condition line) is not a paste's, and a single `>` line in a
    /// report is not a quote.
    @Test func theReportsOwnIndentationAndAStrayQuoteAreKept() throws {
        // Its first line is exactly 100 characters, a console width, but the indented condition is its own line.
        let assert =
            "/TrinityCore/src/server/game/Entities/Unit/Unit.cpp:3295 in _CreateAuraApplication ASSERTION FAILED:"
        #expect(assert.count == 100)
        #expect(ReportText.unwrapped(Substring(assert + "\n  !aura->IsRemoved()\n")) == nil)
        #expect(
            ReportText.unwrapped("/src/Unit.cpp:3295 in _CreateAuraApplication ASSERTION FAILED:\n  !aura->IsRemoved()")
                == nil)
        let mixed =
            "#0  0x1 in Map::Update () at Map.cpp:10\n> not a quote\n#1  0x2 in World::Update () at World.cpp:5\n#2  0x3 in main ()"
        #expect(ReportText.unwrapped(Substring(mixed)) == nil)
    }

    static func text(_ name: String) throws -> String {
        switch name {
        case "tc-assert-short":
            "/TrinityCore/src/server/game/Entities/Unit/Unit.cpp:3295 in _CreateAuraApplication ASSERTION FAILED:\n  !aura->IsRemoved()\n"
        case "gdb-signal-then-bt": try TestRules.fixture("real-shapes/\(name)")
        default: try TestRules.fixture(name)
        }
    }
}

/// A gdb frame reflowed by a narrow paste: the line ends inside the function's template arguments, or with a
/// dangling `at`, and the rest follows on the next lines.
@Suite struct ReflowedGdbFrameTests {
    @Test func aFrameCutInsideItsTemplateArgumentsIsReadWhole() throws {
        let text = """
            Program terminated with signal SIGSEGV, Segmentation fault.
            #0  0x0000000000ff30a8 in std::basic_ios<char, std::char_traits<char>
            >::~basic_ios (this=<optimized out>) at
            /usr/include/c++/6.3.0/bits/basic_ios.h:282
            #1  0x0000000000ff3100 in Log::outMessage (this=0x1) at /src/common/Logging/Log.cpp:120
            """
        let frames = try #require(try TestRules.analyzer().analyze(text: text).report.crashingThread?.frames)
        #expect(frames.count == 2)
        #expect(frames.first?.function == "std::basic_ios<char, std::char_traits<char> >::~basic_ios")
        #expect(frames.first?.file?.hasSuffix("bits/basic_ios.h") == true, "\(String(describing: frames.first?.file))")
        #expect(frames.first?.line == 282)
        #expect(frames.last?.function == "Log::outMessage")
        // `operator<` is not an open bracket: the next frame stays its own.
        let op = """
            Program terminated with signal SIGSEGV, Segmentation fault.
            #0  0x0000000000ff30a8 in operator< (a=..., b=...) at /src/Util.h:10
            #1  0x0000000000ff3100 in std::sort (first=..., last=...) at /src/Util.cpp:20
            """
        let sorted = try #require(try TestRules.analyzer().analyze(text: op).report.crashingThread?.frames)
        #expect(sorted.map(\.function) == ["operator<", "std::sort"])
    }
}
