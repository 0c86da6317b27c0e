import AppCore
import CrashwatchKit
import LogWatch
import TestSupport
import Testing

@testable import Dashboard
@testable import TerminalUI

/// The timeline: every followed log merged by time in pane 2's turn (`T`), each line marked with its log.
@Suite struct TimelineTests {
    static func line(_ text: String, number: Int) -> LogLine {
        var classifier = LineClassifier(firstNumber: number)
        return classifier.classify(RawLine(bytes: Array(text.utf8)))
    }

    static func state() -> DashboardState {
        DashboardState(
            panes: [LogPane(title: "Server.log", path: "Server.log"), LogPane(title: "Playerbot.log", path: "P.log")],
            size: Size(width: 120, height: 30), timeline: true)
    }

    /// The order the timeline shows: (source, text) top to bottom.
    static func shown(_ state: DashboardState) -> [String] {
        state.panes[state.timelineIndex!].buffer.all.map { "\($0.origin!.source): \($0.message)" }
    }

    @Test func linesOfTwoLogsReadInTurnAreMergedByTheirOwnTime() {
        var state = Self.state()
        state.ingest(
            LogBatch(lines: [
                Self.line("2026-12-01_10:00:01 INFO  [server] one", number: 1),
                Self.line("2026-12-01_10:00:03 ERROR [server] three", number: 2),
                Self.line("2026-12-01_10:00:05 INFO  [server] five", number: 3),
            ]), into: 0, live: false)
        // The bot log's lines arrive afterwards (each log is read by its own task) but were written in between.
        state.ingest(
            LogBatch(lines: [
                Self.line("2026-12-01_10:00:02 Bot Aldor action: attack", number: 1),
                Self.line("2026-12-01_10:00:04 Bot Aldor died", number: 2),
            ]), into: 1, live: false)
        #expect(
            Self.shown(state) == [
                "Server.log: one", "Playerbot.log: Bot Aldor action: attack", "Server.log: three",
                "Playerbot.log: Bot Aldor died", "Server.log: five",
            ])
        let timeline = state.panes[state.timelineIndex!]
        #expect(timeline.buffer.all.map(\.number) == [1, 2, 3, 4, 5], "numbered again in merged order")
        #expect(timeline.buffer.all.map { $0.origin!.number } == [1, 1, 2, 2, 3], "each keeps its own log's number")
        #expect(timeline.buffer.errorCount == 1)
        #expect(state.panes.count == 3)
        #expect(state.recentEvidence().count == 5, "the timeline's copies are not evidence a second time")
    }

    @Test func aLineWithoutTimeKeepsItsPlaceAfterTheLineBeforeItInTheSameLog() {
        var state = Self.state()
        state.ingest(
            LogBatch(lines: [
                Self.line("2026-12-01_10:00:01 INFO  [server] one", number: 1),
                Self.line("2026-12-01_10:00:05 INFO  [server] five", number: 2),
            ]), into: 0, live: false)
        // An unprefixed bot log read from the file's past: no time at all, so it is shown where it arrived.
        state.ingest(LogBatch(lines: [Self.line("untimed bot line", number: 1)]), into: 1, live: false)
        state.ingest(LogBatch(lines: [Self.line("2026-12-01_10:00:03 INFO  [server] three", number: 3)]), into: 0)
        #expect(
            Self.shown(state) == [
                "Server.log: one", "Server.log: three", "Server.log: five", "Playerbot.log: untimed bot line",
            ])
        // Read live, a line without a time is placed at the time it was read.
        state.wallSeconds = CivilTime(year: 2026, month: 12, day: 1, hour: 10, minute: 0, second: 4).secondsSinceEpoch
        state.ingest(LogBatch(lines: [Self.line("live bot line", number: 2)]), into: 1)
        #expect(
            Self.shown(state).suffix(3) == [
                "Playerbot.log: live bot line", "Server.log: five", "Playerbot.log: untimed bot line",
            ])
    }

    @Test func keysWorkThereAndTGoesBack() {
        var state = Self.state()
        state.ingest(
            LogBatch(lines: [
                Self.line("2026-12-01_10:00:01 INFO  [server] one", number: 1),
                Self.line("2026-12-01_10:00:03 ERROR [server] Map::Update crashed", number: 2),
            ]), into: 0, live: false)
        state.ingest(
            LogBatch(lines: [Self.line("2026-12-01_10:00:02 Bot Aldor action: attack", number: 1)]), into: 1,
            live: false)
        state.handle(.character("T"))
        #expect(state.focus == .playerbotLog && state.paneIndex(for: .playerbotLog) == state.timelineIndex)
        state.handle(.character("E"))
        let timeline = state.panes[state.timelineIndex!]
        #expect(timeline.markedNumber == 3, "the error, third in time")
        state.handle(.character("f"))
        for key in "Aldor" { state.handle(.character(key)) }
        state.handle(.enter)
        #expect(state.panes[state.timelineIndex!].viewCount == 1)
        // A filter keeps up with lines merged in above the newest one.
        state.ingest(
            LogBatch(lines: [Self.line("2026-12-01_10:00:01 Bot Aldor logged in", number: 2)]), into: 1, live: false)
        #expect(
            state.panes[state.timelineIndex!].visibleLines(height: 10).map(\.message) == [
                "Bot Aldor logged in", "Bot Aldor action: attack",
            ])
        state.handle(.enter)
        #expect(state.mode == .lineView(pane: state.timelineIndex!, number: 3, inFile: false), "the bottom line")
        let frame = DashboardRenderer.render(state).text
        #expect(frame.contains("file    Playerbot.log, line 1 of the lines read since start"))
        state.handle(.escape)
        state.handle(.character("T"))
        #expect(state.paneIndex(for: .playerbotLog) == 1, "T again: back to the bot log")
    }

    @Test func oneLogHasNoTimeline() {
        var state = DashboardState(
            panes: [LogPane(title: "Server.log", path: "Server.log")], size: Size(width: 80, height: 24), timeline: true
        )
        #expect(state.timelineIndex == nil)
        state.handle(.character("T"))
        #expect(state.message?.text == "the timeline merges two or more logs; one is followed")
    }

    /// The fixture logs, whose times interleave, in the timeline at 120 columns.
    @Test func goldenScreen() throws {
        var state = try DashboardScreenTests.fixtureState(Size(width: 120, height: 40))
        state.handle(.character("T"))
        state.message = nil
        GoldenFile.assertMatches(
            GoldenFile.render(DashboardRenderer.render(state), withRoles: true), named: "timeline-120x40")
    }
}
