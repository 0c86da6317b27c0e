import CrashwatchKit
import Testing

@testable import CrashAnalysis

@Suite struct ParserTests {
    private func parse(_ name: String) throws -> CrashReport {
        CrashReportParser.parse(try TestRules.fixture(name))
    }

    @Test func wheatyReportWithLocalsSection() throws {
        let report = try parse("wheaty-tc-map-update")
        #expect(report.format == .wheaty)
        #expect(report.exceptionCode == "C0000005")
        #expect(report.exceptionName == "ACCESS_VIOLATION")
        #expect(report.faultAddress == "00007FF6A1B2C3D4")
        #expect(report.faultModule == "M:\\Wplayerbot\\worldserver.exe")
        #expect(report.buildHash == "7d14957a32df+")
        #expect(report.crashTime == CivilTime(year: 2025, month: 10, day: 31, hour: 11, minute: 14))
        #expect(report.threads.count == 3, "the locals section repeats the stacks and must not be counted")
        #expect(report.crashingThreadIndex == 0)
        let top = try #require(report.crashingThread?.frames.first)
        #expect(top.function == "Creature::Update")
        #expect(top.offset == "0x1A4")
        #expect(top.file == "C:/TrinityBots/TrinityCore/src/server/game/Entities/Creature/Creature.cpp")
        #expect(top.line == 612)
        #expect(
            report.crashingThread?.frames[4].function
                == "std::thread::_Invoke<std::tuple<void (__cdecl MapUpdater::*)(void),MapUpdater *>,0,1>")
        #expect(report.problems.isEmpty)
    }

    @Test func azerothCoreCopyWithIdleFirstStack() throws {
        let report = try parse("wheaty-ac-idle-first")
        #expect(report.crashingThreadIndex == 2)
        #expect(report.crashingThreadReason.contains("KiUserExceptionDispatcher"))
    }

    @Test func wheatyAssertionMessage() throws {
        let report = try parse("wheaty-assert")
        #expect(report.exceptionCode == "C0000420")
        let assertion = try #require(report.assertion)
        #expect(assertion.kind == "ASSERTION FAILED")
        #expect(assertion.function == "WorldObject::GetMap")
        #expect(assertion.condition == "m_currMap")
        #expect(assertion.line == 941)
        #expect(report.crashingThread?.frames[2].isInline == true)
    }

    @Test func freezeDetectorPointsAtTheWorldThread() throws {
        let report = try parse("wheaty-freeze")
        #expect(report.crashingThreadIndex == 1)
        #expect(report.crashingThreadReason.contains("freeze detector"))
        #expect(report.isFreeze)
        #expect(report.assertion?.kind == "ABORTED")
    }

    @Test func gdbCoreWithThreadListPicksTheCurrentThreadNotTheFirst() throws {
        let report = try parse("gdb-core-all-threads")
        #expect(report.format == .gdb)
        #expect(report.exceptionCode == "SIGSEGV")
        let thread = try #require(report.crashingThread)
        #expect(thread.id == "3")
        #expect(
            thread.frames.map(\.function) == [
                "Spell::EffectSchoolDMG", "Spell::HandleEffects", "Spell::DoSpellEffectHit", "Spell::handle_immediate",
                "PlayerbotAI::CastSpell",
            ])
        // A wrapped argument list is joined back before parsing.
        #expect(thread.frames[1].line == 5210)
        #expect(thread.frames[1].arguments?.contains("mode=SPELL_EFFECT_HANDLE_HIT_TARGET") == true)
        #expect(report.crashingThreadReason.contains("Current thread is 3"))
    }

    @Test func gdbLiveRunWithAssertAndBtFull() throws {
        let report = try parse("gdb-live-assert")
        #expect(report.exceptionCode == "SIGSEGV")
        #expect(report.assertion?.function == "GetMap")
        let thread = try #require(report.crashingThread)
        #expect(thread.frames.count == 4, "bt full repeats the stack; it is read once")
        #expect(thread.frames[0].function == "Acore::Assert")
        #expect(thread.frames[3].function == "Acore::ObjectUpdater::Visit<Creature>")
    }

    @Test func signalHandlerFrameMarksTheCrashingThread() throws {
        let report = try parse("gdb-signal-handler")
        #expect(report.crashingThread?.id == "1")
        #expect(report.crashingThread?.frames[3].isSignalHandler == true)
        #expect(report.crashingThread?.frames[4].arguments == "this=0x0")
    }

    @Test func unmarkedThreadsAreNotSilentlyThreadOne() throws {
        let report = try parse("gdb-unmarked")
        #expect(report.crashingThreadIndex == nil)
        #expect(report.crashingThreadReason == "the report lists 2 threads but does not say which one crashed")
        #expect(report.threads.count == 2)
    }

    @Test func markdownEatenHashes() throws {
        let report = try parse("gdb-markdown-eaten")
        #expect(
            report.crashingThread?.frames.map(\.function) == [
                "Unit::DealDamage(Unit*, Unit*, unsigned int, CleanDamage const*, DamageEffectType, SpellSchoolMask, SpellInfo const*, bool, bool, Spell const*, bool)",
                "World::ProcessDelayedDamages()", "World::Update(unsigned int)",
            ])
    }

    @Test func azerothCoreBoxedAssertion() throws {
        let report = try parse("ac-boxed-assert")
        #expect(report.format == .assertion)
        let assertion = try #require(report.assertion)
        #expect(assertion.file == "/root/Azerothcore/src/server/game/Maps/Map.h")
        #expect(assertion.line == 682)
        #expect(assertion.function == "getNGrid")
        #expect(assertion.condition == "x < MAX_NUMBER_OF_GRIDS && y < MAX_NUMBER_OF_GRIDS")
        #expect(
            assertion.debugInfo
                == "Id: 631 InstanceId: 85 Difficulty: 0 HasPlayers: true\nScriptId: 728 ScriptName: instance_icecrown_citadel"
        )
    }

    @Test func trinityCoreStderrAssertion() {
        let report = CrashReportParser.parse(
            "/TrinityCore/src/server/game/Entities/Unit/Unit.cpp:3295 in _CreateAuraApplication ASSERTION FAILED:\n  !aura->IsRemoved()\n"
        )
        #expect(report.format == .assertion)
        #expect(report.assertion?.condition == "!aura->IsRemoved()")
        #expect(report.assertion?.function == "_CreateAuraApplication")
    }

    @Test func cdbAnalyzeOutput() throws {
        let report = try parse("cdb-analyze")
        #expect(report.format == .cdb)
        #expect(report.exceptionCode == "C0000005")
        #expect(report.exceptionName == "Access violation")
        #expect(report.faultAddress == "00007ff612345678")
        let frames = try #require(report.crashingThread?.frames)
        #expect(frames.count == 4)
        #expect(frames[0].module == "worldserver")
        #expect(frames[0].function == "Unit::DealDamage")
        #expect(frames[0].line == 812)
        #expect(frames[3].module == "kernel32")
    }

    @Test func truncatedReportSaysWhatItCouldNotRead() throws {
        let report = try parse("truncated")
        #expect(report.crashingThread?.frames.count == 1)
        #expect(report.problems == ["1 frame line(s) could not be read (cut off or hand-edited?)"])
    }

    @Test func emptyBinaryAndUnknownInputs() {
        let empty = CrashReportParser.parse("")
        #expect(empty.problems == ["the report is empty"])
        let binary = CrashReportParser.parse("MDMP\u{0}\u{0}\u{1}\u{2}garbage")
        #expect(binary.format == .unknown)
        #expect(binary.problems.last?.contains("binary") == true)
        let prose = CrashReportParser.parse("It crashed again yesterday.\nNo idea why.\n")
        #expect(prose.format == .unknown)
        #expect(prose.rawText == "It crashed again yesterday.\nNo idea why.\n")
        #expect(!prose.problems.isEmpty)
    }

    @Test func hugeInputIsParsedFromItsStart() {
        let head =
            "Program terminated with signal SIGSEGV, Segmentation fault.\n#0  0x0000000000000001 in Map::Update (this=0x1) at /src/Map.cpp:1\n"
        let filler = String(repeating: "        some local = 0x0\n", count: 100 * 1024 * 1024 / 25)
        let report = CrashReportParser.parse(head + filler)
        #expect(report.crashingThread?.frames.first?.function == "Map::Update")
        #expect(report.problems.first?.contains("only its first 8 MiB were parsed") == true)
        #expect(report.rawText.utf8.count > 100_000_000)
    }
}
