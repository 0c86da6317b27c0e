import AppCore
import CrashwatchKit
import Foundation
import LogWatch
import TestSupport
import Testing

@testable import Dashboard
@testable import TerminalUI

/// `D`: a log's templates new, gone or changed in count since the server's last start.
@Suite struct RunChangesTests {
    static func lines(_ texts: [String], from number: Int = 1) -> [LogLine] {
        var classifier = LineClassifier(firstNumber: number)
        return texts.map { classifier.classify(RawLine(bytes: Array($0.utf8))) }
    }

    static let runA = [
        "Table `creature_addon` has a record for creature (GUID: 5521) which doesn't exist",
        "Table `creature_addon` has a record for creature (GUID: 5538) which doesn't exist",
        "Spell 1234 listed in `spell_script_names` does not exist",
        "SmartAIMgr: Entry 2110 SourceType 0 Event 3, Missing Repeat flag",
    ]
    static let runB = [
        "Table `creature_addon` has a record for creature (GUID: 6001) which doesn't exist",
        "Table `creature_addon` has a record for creature (GUID: 6002) which doesn't exist",
        "Table `creature_addon` has a record for creature (GUID: 6003) which doesn't exist",
        "SmartAIMgr: Entry 2110 SourceType 0 Event 3, Missing Repeat flag",
        "Table `pool_creature` has a non existing creature spawn (GUID: 77) defined for pool id (12), skipped.",
    ]

    static func state() throws -> DashboardState {
        let (triage, _) = TriageRules.model(config: AppSettings(), directories: [Repository.rules])
        var state = DashboardState(
            panes: ["Server.log", "Playerbot.log", "DBErrors.log"].map { LogPane(title: $0, path: $0) },
            size: Size(width: 120, height: 30), triage: triage, timeline: true)
        state.wallSeconds = CivilTime(year: 2026, month: 12, day: 1, hour: 10, minute: 0).secondsSinceEpoch
        return state
    }

    @Test func aTruncatedStartUpLogIsComparedWithItsRunBefore() throws {
        var state = try Self.state()
        state.ingest(LogBatch(lines: Self.lines(Self.runA), isBacklog: true), into: 2, live: false)
        #expect(state.runs[2].previous == nil)
        // The server starts again: DBErrors.log (opened with `w`) is truncated and written anew.
        state.ingest(LogBatch(lines: Self.lines(Self.runB, from: 5), events: [.truncated]), into: 2)
        #expect(state.effects.contains(.saveRuns(pane: 2)))
        let changes = state.runs[2].changes
        #expect(changes.map(\.kind) == [.new, .gone, .more])
        #expect(changes[0].template.hasPrefix("Table `pool_creature` has a non existing creature spawn"))
        #expect(changes[1].template.hasPrefix("Spell <n> listed in"))
        #expect(changes[2].before == 2 && changes[2].now == 3)

        state.handle(.character("2"))
        state.handle(.character("2"))
        #expect(state.paneIndex(for: .playerbotLog) == 2)
        state.handle(.character("D"))
        #expect(state.mode == .runChanges(pane: 2, row: 0))
        GoldenFile.assertMatches(GoldenFile.render(DashboardRenderer.render(state)), named: "run-changes-120x30")
        // Enter: the new template's first line in this run, and n goes on to its next lines.
        state.handle(.enter)
        #expect(state.panes[2].markedNumber == 9)
        #expect(state.panes[2].search?.description.hasPrefix("template \"Table `pool_creature`") == true)
        #expect(state.message?.text.hasPrefix("new in this run (×1, ×0 in the last)") == true)
        // A gone template has no lines to go to: it is said.
        state.handle(.character("D"))
        state.handle(.character("j"))
        state.handle(.enter)
        #expect(
            state.message?.text.hasPrefix("gone from DBErrors.log in this run (×1 in the last): Spell 1234") == true)
    }

    @Test func theServerStartingAgainStartsARunInItsOtherLogs() throws {
        var state = try Self.state()
        state.ingest(LogBatch(lines: Self.lines(Self.runA), isBacklog: true), into: 2, live: false)
        // DBErrors.log opened with `a`: the new run is appended; the server log's banner says the server started.
        state.ingest(
            LogBatch(
                lines: Self.lines([
                    "TrinityCore rev. 7d14957a32df+ 2025-10-31 11:14:33 +0100 (3.3.5 branch) (Unix, x86_64, RelWithDebInfo, Static) (worldserver-daemon)"
                ])), into: 0)
        state.ingest(LogBatch(lines: Self.lines(Self.runB, from: 5)), into: 2)
        #expect(state.runs[2].changes.map(\.kind) == [.new, .gone, .more])
        // In a file's past the banner splits only the server log's own runs.
        var past = try Self.state()
        past.ingest(LogBatch(lines: Self.lines(Self.runA), isBacklog: true), into: 2, live: false)
        past.ingest(
            LogBatch(
                lines: Self.lines([
                    "Map 571 grid [32,32] failed to load", "TrinityCore rev. 1 2025 (3.3.5 branch) (Unix)",
                ]),
                isBacklog: true), into: 0, live: false)
        #expect(past.runs[2].previous == nil)
        #expect(past.runs[0].previous?.lineCount == 1)
    }

    @Test func aLogThatStartedItsOwnRunIsNotSplitAgainByTheServerLog() throws {
        var state = try Self.state()
        state.ingest(LogBatch(lines: Self.lines(Self.runA), isBacklog: true), into: 2, live: false)
        state.ingest(LogBatch(lines: Self.lines(Self.runB, from: 5), events: [.truncated]), into: 2)
        // The server log's truncation is read a moment after DBErrors.log's: the same restart.
        state.ingest(LogBatch(events: [.truncated]), into: 0)
        #expect(state.runs[2].current.lineCount == 5)
        #expect(state.runs[2].changes.count == 3)
    }

    @Test func theRunSavedAtTheLastStopIsTheOneComparedWith() throws {
        var first = try Self.state()
        first.ingest(LogBatch(lines: Self.lines(Self.runA), isBacklog: true), into: 2, live: false)
        let saved = try #require(first.runs[2].toSave)
        #expect(saved.previous == nil && saved.last.lineCount == 4)

        // The next start finds a new run in the file: it is compared with the saved one.
        var next = try Self.state()
        next.runs[2].saved = saved
        next.ingest(LogBatch(lines: Self.lines(Self.runB), isBacklog: true), into: 2, live: false)
        #expect(next.runs[2].changes.map(\.kind) == [.new, .gone, .more])
        #expect(next.runs[2].previousOrigin == "the last run crashwatch followed, saved when it stopped")

        // The file still holds the saved run (crashwatch restarted, the server did not): nothing earlier is known.
        var same = try Self.state()
        same.runs[2].saved = saved
        same.ingest(
            LogBatch(lines: Self.lines(Self.runA + ["Spell 99 listed in `spell_script_names` does not exist"])),
            into: 2, live: false)
        #expect(same.runs[2].previous == nil)
        let resaved = try #require(same.runs[2].toSave)
        #expect(resaved.last.lineCount == 5 && resaved.previous == nil)
    }
}
