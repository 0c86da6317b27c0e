import CrashwatchKit
import Foundation
import LogWatch
import TestSupport
import Testing

@testable import Dashboard
@testable import TerminalUI

/// Key handling and pane navigation, on panes filled with numbered lines (no files, no terminal).
@Suite struct DashboardStateTests {
    /// 80×24 gives the first pane a body of 11 rows and the second 10.
    static let size = Size(width: 80, height: 24)

    private var classifiers = [LineClassifier(), LineClassifier()]

    private mutating func batch(_ texts: [String], pane: Int = 0) -> LogBatch {
        LogBatch(lines: texts.map { classifiers[pane].classify(RawLine(bytes: Array($0.utf8))) })
    }

    /// Lines `first...last` of the form `2025-10-31_11:14:33 INFO  [t] line N`, with errors and warnings where asked.
    private mutating func numbered(
        _ range: ClosedRange<Int>, errors: Set<Int> = [], warnings: Set<Int> = [], pane: Int = 0
    ) -> LogBatch {
        batch(
            range.map { n in
                let level = errors.contains(n) ? "ERROR" : warnings.contains(n) ? "WARN " : "INFO "
                return "2025-10-31_11:14:33 \(level) [t] line \(n)"
            }, pane: pane)
    }

    private func makeState() -> DashboardState {
        DashboardState(
            panes: [
                LogPane(title: "Server.log", path: "Server.log"),
                LogPane(title: "Playerbot.log", path: "Playerbot.log"),
            ],
            size: Self.size)
    }

    private func visible(_ state: DashboardState, pane: Int = 0) -> [Int] {
        state.panes[pane].visibleLines(height: state.layout.areas[PaneKind(rawValue: pane)!]!.body.height).map(\.number)
    }

    @Test mutating func followShowsTheNewestLines() {
        var state = makeState()
        state.ingest(numbered(1...50), into: 0)
        #expect(visible(state) == Array(40...50))
        state.ingest(numbered(51...53), into: 0)
        #expect(visible(state) == Array(43...53))
    }

    @Test mutating func pauseStopsNewLinesEvenWhenThePaneIsNotFull() {
        var state = makeState()
        state.ingest(numbered(1...3), into: 0)
        state.handle(.character("="))
        state.ingest(numbered(4...8), into: 0)
        #expect(visible(state) == [1, 2, 3])
        #expect(state.panes[0].linesHeldByPause == 5)
        #expect(state.panes[0].buffer.totalLines == 8, "paused lines are still read and counted")
        state.handle(.character("G"))
        #expect(visible(state) == Array(1...8))
        #expect(state.panes[0].pausedAt == nil)
    }

    @Test mutating func equalsTogglesPauseBack() {
        var state = makeState()
        state.ingest(numbered(1...20), into: 0)
        state.handle(.character("="))
        state.ingest(numbered(21...25), into: 0)
        #expect(visible(state) == Array(10...20))
        state.handle(.character("="))
        #expect(visible(state) == Array(15...25))
    }

    @Test mutating func scrollingUpStopsFollowingAndBottomResumesIt() {
        var state = makeState()
        state.ingest(numbered(1...50), into: 0)
        state.handle(.character("k"))
        #expect(visible(state) == Array(39...49))
        #expect(!state.panes[0].isFollowing)
        state.ingest(numbered(51...55), into: 0)
        #expect(visible(state) == Array(39...49), "a scrolled view stays put while lines arrive")
        state.handle(.pageUp)
        #expect(visible(state) == Array(29...39))
        state.handle(.character("g"))
        #expect(visible(state) == Array(1...11))
        state.handle(.character("j"))
        #expect(visible(state) == Array(2...12))
        state.handle(.character("G"))
        #expect(visible(state) == Array(45...55))
        #expect(state.panes[0].isFollowing)
    }

    @Test mutating func scrollingDownToTheEndFollowsAgain() {
        var state = makeState()
        state.ingest(numbered(1...12), into: 0)
        state.handle(.character("k"))
        state.handle(.character("k"))
        #expect(!state.panes[0].isFollowing)
        state.handle(.character(" "))
        #expect(state.panes[0].isFollowing)
        state.ingest(numbered(13...13), into: 0)
        #expect(visible(state).last == 13)
    }

    @Test mutating func errorAndWarningJumps() {
        var state = makeState()
        state.ingest(numbered(1...100, errors: [10, 60], warnings: [30, 95]), into: 0)
        state.handle(.character("E"))
        #expect(state.panes[0].markedNumber == 60)
        #expect(visible(state).contains(60))
        state.handle(.character("E"))
        #expect(state.panes[0].markedNumber == 10)
        state.handle(.character("E"))
        #expect(state.panes[0].markedNumber == 10)
        #expect(state.message == StatusMessage("no earlier error in Server.log", isProblem: true))
        state.handle(.character("e"))
        #expect(state.panes[0].markedNumber == 60)
        state.handle(.character("w"))
        #expect(state.panes[0].markedNumber == 95)
        state.handle(.character("W"))
        #expect(state.panes[0].markedNumber == 30)
    }

    @Test mutating func fatalCountsAsAnError() {
        var state = makeState()
        state.ingest(batch(["2025-10-31_11:14:33 FATAL [x] boom", "2025-10-31_11:14:33 INFO  [x] fine"]), into: 0)
        state.handle(.character("E"))
        #expect(state.panes[0].markedNumber == 1)
    }

    @Test mutating func searchAndNextPrevious() {
        var state = makeState()
        state.ingest(batch((1...40).map { $0 % 10 == 0 ? "Spell \($0) failed" : "Map \($0) loaded" }), into: 0)
        for key in "/spell" { state.handle(.character(key)) }
        state.handle(.enter)
        #expect(state.mode == .normal)
        let first = state.panes[0].markedNumber
        #expect(first == 30, "a new search starts from the top line on screen (lines 30–40), as in less")
        state.handle(.character("N"))
        #expect(state.panes[0].markedNumber == 20)
        state.handle(.character("N"))
        #expect(state.panes[0].markedNumber == 10)
        state.handle(.character("n"))
        #expect(state.panes[0].markedNumber == 20)
    }

    @Test mutating func searchWithoutMatchesSaysSo() {
        var state = makeState()
        state.ingest(numbered(1...5), into: 0)
        for key in "/nothing-here" { state.handle(.character(key)) }
        state.handle(.enter)
        #expect(state.message?.text == "no match for /nothing-here/ in Server.log")
        state.handle(.character("n"))
        #expect(state.message?.isProblem == true)
    }

    @Test mutating func filterShowsOnlyMatchingLinesAndKeepsUpWithNewOnes() {
        var state = makeState()
        state.ingest(numbered(1...30, errors: [3, 7, 25]), into: 0)
        for key in "fERROR" { state.handle(.character(key)) }
        state.handle(.enter)
        #expect(visible(state) == [3, 7, 25])
        state.ingest(numbered(31...40, errors: [33]), into: 0)
        #expect(visible(state) == [3, 7, 25, 33])
        state.handle(.character("f"))
        #expect(state.mode == .prompt(Prompt(kind: .filter)), "a prompt opens empty, as a shell's does")
        // An empty filter clears it.
        state.handle(.enter)
        #expect(state.panes[0].filter == nil)
        #expect(visible(state) == Array(30...40))
    }

    @Test mutating func invalidRegexIsAMessageNotAChange() {
        var state = makeState()
        state.ingest(numbered(1...5), into: 0)
        for key in "f([unclosed" { state.handle(.character(key)) }
        state.handle(.enter)
        #expect(state.panes[0].filter == nil)
        #expect(state.message == StatusMessage("not a valid regular expression: ([unclosed", isProblem: true))
    }

    @Test mutating func smartCase() throws {
        let lower = try LineFilter(pattern: "error")
        #expect(lower.matches("ERROR here"))
        let mixed = try LineFilter(pattern: "Error")
        #expect(!mixed.matches("ERROR here"))
        #expect(mixed.matches("Error here"))
    }

    /// Prompts edit like a shell's line: the cursor moves, Ctrl-W and Ctrl-U delete, Up and Down recall what was typed.
    @Test mutating func promptsEditAndRecallLikeAShell() {
        var state = makeState()
        state.ingest(numbered(1...30, errors: [3, 7, 25]), into: 0)
        for key in "/warden check" { state.handle(.character(key)) }
        state.handle(.control("w"))
        guard case .prompt(var prompt) = state.mode else {
            Issue.record("a prompt")
            return
        }
        #expect(prompt.text == "warden " && prompt.cursor == 7)
        state.handle(.control("a"))
        state.handle(.character("^"))
        state.handle(.control("e"))
        state.handle(.left)
        state.handle(.backspace)
        guard case .prompt(let edited) = state.mode else { return }
        #expect(edited.text == "^warde ", "typed at the cursor, deleted before it")
        state.handle(.control("e"))
        state.handle(.control("u"))
        for key in "ERROR" { state.handle(.character(key)) }
        state.handle(.enter)
        // The next search opens empty; Up brings back the last one, Down the line being typed.
        for key in "/x" { state.handle(.character(key)) }
        state.handle(.up)
        guard case .prompt(let recalled) = state.mode else { return }
        #expect(recalled.text == "ERROR" && recalled.cursor == 5)
        state.handle(.down)
        guard case .prompt(let back) = state.mode else { return }
        #expect(back.text == "x")
        state.handle(.escape)
        #expect(state.mode == .normal)
        prompt.text = ""
        GoldenFile.assertMatches(
            GoldenFile.render(DashboardRenderer.render(typing(state, "/ab", left: 1))), named: "prompt-cursor-80x24")
    }

    private func typing(_ state: DashboardState, _ keys: String, left: Int) -> DashboardState {
        var state = state
        for key in keys { state.handle(.character(key)) }
        for _ in 0..<left { state.handle(.left) }
        return state
    }

    /// The highlight stays on the error the user moved to when new ones arrive above it, and says how many did.
    @Test mutating func theSelectionStaysOnItsErrorWhenNewOnesArrive() {
        var state = makeState()
        let words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
        let lines = { (range: Range<Int>) in
            range.map { "2025-10-31_11:14:\(10 + $0) ERROR [t] \(words[$0]) failed" }
        }
        state.ingest(batch(lines(0..<4)), into: 0)
        state.handle(.character("3"))
        state.handle(.character("j"))
        state.handle(.character("j"))
        #expect(state.errorRows[state.errorSelection.row].message.contains("bravo"))
        state.ingest(batch(lines(4..<7)), into: 0)
        #expect(state.errorRows[state.errorSelection.row].message.contains("bravo"), "still on the same error")
        #expect(state.errorSelection.newAbove == 3)
        #expect(GoldenFile.render(DashboardRenderer.render(state)).contains("▲ 3 new above"))
        // Going to the top has seen them.
        state.handle(.character("g"))
        #expect(state.errorSelection.newAbove == 0)
    }

    /// `f` filters the errors and warnings panes too; an empty filter clears it.
    @Test mutating func theErrorsAndWarningsPanesFilterByRegex() {
        var state = makeState()
        state.ingest(
            batch([
                "2025-10-31_11:14:10 ERROR [t] alpha failed", "2025-10-31_11:14:11 ERROR [t] bravo failed",
                "2025-10-31_11:14:12 WARN  [t] charlie is slow", "2025-10-31_11:14:13 WARN  [t] delta is slow",
            ]), into: 0)
        state.handle(.character("3"))
        for key in "fbravo" { state.handle(.character(key)) }
        state.handle(.enter)
        #expect(state.errorRows.map(\.message).allSatisfy { $0.contains("bravo") } && state.errorRows.count == 1)
        #expect(GoldenFile.render(DashboardRenderer.render(state)).contains("filter /bravo/ 1 shown"))
        state.handle(.character("4"))
        for key in "fdelta" { state.handle(.character(key)) }
        state.handle(.enter)
        #expect(state.warningRows.map(\.stats.template).allSatisfy { $0.contains("delta") })
        state.handle(.character("3"))
        state.handle(.character("f"))
        state.handle(.enter)
        #expect(state.errorRows.count == 2, "an empty filter clears it")
    }

    /// `=` pauses the errors pane as it pauses a log: rows stay put while new ones are counted, `=` again shows them.
    @Test mutating func equalsPausesTheErrorsPaneToo() {
        var state = makeState()
        state.ingest(batch(["2025-10-31_11:14:10 ERROR [t] alpha failed"]), into: 0)
        state.handle(.character("3"))
        state.handle(.character("="))
        state.ingest(
            batch(["2025-10-31_11:14:11 ERROR [t] bravo failed", "2025-10-31_11:14:12 ERROR [t] charlie failed"]),
            into: 0)
        #expect(state.errorRows.map(\.message) == ["alpha failed"])
        #expect(GoldenFile.render(DashboardRenderer.render(state)).contains("PAUSED +2 (= resumes)"))
        state.handle(.character("="))
        #expect(state.errorRows.count == 3)
    }

    /// Long lines scroll sideways: → and ← by half a pane, 0 back to the start, $ to the end of the longest line.
    @Test mutating func longLinesScrollSideways() {
        var state = makeState()
        let tail = (1...30).map { "field\($0)=value" }.joined(separator: " ")
        state.ingest(batch(["2025-10-31_11:14:33 ERROR [t] a long line: " + tail + " END"]), into: 0)
        state.handle(.right)
        #expect(state.panes[0].column > 0)
        var screen = GoldenFile.render(DashboardRenderer.render(state))
        #expect(screen.contains("→ column \(state.panes[0].column + 1) (0 back)"))
        #expect(!screen.contains("2025-10-31_11:14:33 ERROR"), "the start of the line is left of the view")
        state.handle(.character("$"))
        screen = GoldenFile.render(DashboardRenderer.render(state))
        #expect(screen.contains("END"), "the end of the longest line is in view")
        state.handle(.character("0"))
        #expect(state.panes[0].column == 0)
        state.handle(.left)
        #expect(state.panes[0].column == 0, "never left of the start")
    }

    @Test mutating func escapeCancelsAPromptAndBackspaceEdits() {
        var state = makeState()
        for key in "/abc" { state.handle(.character(key)) }
        state.handle(.backspace)
        #expect(state.mode == .prompt(Prompt(kind: .search, text: "ab")))
        state.handle(.escape)
        #expect(state.mode == .normal)
        #expect(state.panes[0].search == nil)
    }

    @Test mutating func focusHelpAndQuit() {
        var state = makeState()
        state.handle(.tab)
        #expect(state.focus == .playerbotLog)
        state.handle(.character("1"))
        #expect(state.focus == .serverLog)
        state.handle(.character("2"))
        #expect(state.focus == .playerbotLog)
        state.handle(.character("?"))
        #expect(state.mode == .help)
        state.handle(.character("q"))
        #expect(state.mode == .normal, "a key closes help rather than quitting")
        #expect(!state.shouldQuit)
        state.handle(.character("q"))
        #expect(state.shouldQuit)
    }

    @Test mutating func quittingWithCrashesNotYetSavedSaysSoFirst() {
        var state = makeState()
        state.crashes.waitingToSave = 2
        state.crashes.historyProblem = "database is locked"
        state.handle(.character("q"))
        #expect(!state.shouldQuit)
        #expect(state.message?.text.hasPrefix("2 crash(es) are not saved yet (database is locked)") == true)
        state.handle(.character("q"))
        #expect(state.shouldQuit)
    }

    @Test mutating func keysActOnTheFocusedPaneOnly() {
        var state = makeState()
        state.ingest(numbered(1...30), into: 0)
        state.ingest(numbered(1...30, pane: 1), into: 1)
        state.handle(.character("2"))
        state.handle(.character("="))
        #expect(state.panes[1].pausedAt == 30)
        #expect(state.panes[0].pausedAt == nil)
    }

    @Test mutating func viewSurvivesLinesDroppedFromAFullBuffer() {
        var state = DashboardState(panes: [LogPane(title: "S", path: "S", capacity: 20)], size: Self.size)
        state.ingest(numbered(1...20), into: 0)
        state.handle(.character("g"))
        state.ingest(numbered(21...45), into: 0)
        let body = state.layout.areas[.serverLog]!.body.height
        let shown = state.panes[0].visibleLines(height: body).map(\.number)
        #expect(shown.first == 26, "the scrolled-to lines were dropped; the view moves to the oldest held")
        #expect(state.panes[0].buffer.count == 20)
    }

    @Test mutating func fileEventsBecomeMessages() {
        var state = makeState()
        state.ingest(LogBatch(events: [.missing]), into: 1)
        #expect(state.message == StatusMessage("Playerbot.log does not exist yet; waiting for it", isProblem: true))
        #expect(state.panes[1].fileCondition == .missing)
        state.ingest(LogBatch(events: [.opened]), into: 1)
        #expect(state.panes[1].fileCondition == nil)
        state.ingest(LogBatch(events: [.truncated]), into: 0)
        #expect(state.panes[0].restarts == 1)
        #expect(state.message?.text.contains("truncated") == true)
    }

    @Test func rateCountsOnlyLiveLines() {
        let start = ContinuousClock.now
        var meter = RateMeter(window: .seconds(5))
        meter.record(50, at: start)
        meter.record(50, at: start + .seconds(1))
        #expect(meter.perSecond(at: start + .seconds(2)) == 20)
        #expect(meter.perSecond(at: start + .seconds(10)) == 0)
        var pane = LogPane(title: "S", path: "S")
        var classifier = LineClassifier()
        pane.ingest(LogBatch(lines: [classifier.classify(RawLine(bytes: [65]))], isBacklog: true), at: nil)
        #expect(pane.linesPerSecond(at: start) == 0)
    }
}

@Suite struct TriageKeyTests {
    private func state() throws -> DashboardState {
        try DashboardScreenTests.fixtureState(Size(width: 80, height: 24))
    }

    @Test func enterOnAnErrorJumpsToItsLine() throws {
        var state = try state()
        state.handle(.character("3"))
        #expect(state.focus == .errors)
        let first = try #require(state.errorRows.first)
        #expect(first.message == "World Thread hangs for 60013 ms, forcing a crash!", "newest by log time first")
        state.handle(.enter)
        #expect(state.focus == .serverLog)
        #expect(state.panes[0].markedNumber == first.lineNumber)
    }

    @Test func movingTheSelectionStaysInRange() throws {
        var state = try state()
        state.handle(.character("3"))
        for _ in 0..<50 { state.handle(.character("j")) }
        #expect(state.errorSelection.row == state.errorRows.count - 1)
        state.handle(.character("g"))
        #expect(state.errorSelection.row == 0)
    }

    @Test func enterOnAWarningShowsOccurrencesThenJumps() throws {
        var state = try state()
        state.handle(.character("4"))
        let row = try #require(state.warningRows.first)
        state.handle(.enter)
        #expect(state.mode == .occurrences(row.stats.template))
        state.handle(.enter)
        #expect(state.mode == .normal)
        let newest = try #require(row.stats.latest.last)
        #expect(state.focus.rawValue == newest.pane)
        #expect(state.panes[newest.pane].markedNumber == newest.lineNumber)
    }

    @Test func logKeysInATriagePaneExplainThemselves() throws {
        var state = try state()
        state.handle(.character("4"))
        state.handle(.character("n"))
        #expect(state.message?.isProblem == true, "n (next match) is a log pane's key")
        state.handle(.tab)
        #expect(state.focus == .inbox, "Tab goes on to the crash panes")
    }

    @Test func aLineNoLongerHeldIsSaid() throws {
        var state = try state()
        state.jumpToLine(pane: 0, number: 999_999)
        #expect(state.message?.text.contains("no longer held in memory") == true)
    }
}

@Suite struct ArchiveBrowsingTests {
    @Test func gReadsTheFileBackFromLineOneAndGFollowsAgain() throws {
        let pathScratch = TemporaryDirectory("cw-archive")
        let path = pathScratch.file("cw-archive.log")
        let all = (1...300).map { "2025-10-31_11:14:33 INFO  [t] file line \($0)" }
        try Data((all.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        var state = DashboardState(
            panes: [
                LogPane(title: "Server.log", path: path, capacity: 50), LogPane(title: "Playerbot.log", path: "x"),
            ],
            size: Size(width: 80, height: 24))
        var classifier = LineClassifier()
        state.ingest(
            LogBatch(lines: all.suffix(50).map { classifier.classify(RawLine(bytes: Array($0.utf8))) }), into: 0)
        state.panes[0].setArchive(try SparseLineIndex.build(path: path, upTo: .max, stride: 16))
        #expect(state.panes[0].hasLinesOutsideMemory)

        /// What the app does with a load request.
        func runLoads(_ state: inout DashboardState) throws {
            for case .loadArchive(let pane, let top, let count) in state.effects {
                let lines = try state.panes[pane].archive!.lines(from: top, count: count)
                state.panes[pane].setArchiveWindow(top: top, lines: lines)
            }
            state.effects = []
        }

        state.handle(.character("g"))
        #expect(state.panes[0].archiveTop == 1)
        try runLoads(&state)
        let height = state.layout.areas[.serverLog]!.body.height
        #expect(state.panes[0].visibleLines(height: height).map(\.text) == Array(all.prefix(height)))
        let frame = DashboardRenderer.render(state).text
        #expect(frame.contains("FILE line 1 of 300"))
        #expect(frame.contains("file line 1\n"))

        state.handle(.pageDown)
        try runLoads(&state)
        #expect(state.panes[0].visibleLines(height: height).first?.text == all[height - 1])

        state.handle(.character("G"))
        #expect(state.panes[0].archiveTop == nil)
        #expect(state.panes[0].visibleLines(height: height).last?.text == all.last)
    }
}

/// Messages that arrive by themselves do not push an important one off the bar before it has been read.
@Suite struct StatusMessagePriorityTests {
    @Test func aRoutineNoticeWaitsBehindAFreshCrashMessage() {
        let start = ContinuousClock.now
        var state = DashboardState(
            panes: [LogPane(title: "Server.log", path: "Server.log")], size: Size(width: 80, height: 24), now: start)
        state.notice(
            StatusMessage("new crash: SIGSEGV | Map::Update — 5 opens the inbox", isProblem: true, priority: .important)
        )
        state.now = start + .seconds(5)
        state.notice(
            StatusMessage("Server.log was truncated (server restart?); following the new run", priority: .routine))
        #expect(state.message?.text.hasPrefix("new crash") == true, "five seconds later the crash is still shown")
        // A key's answer is the user's own doing: it always shows.
        state.handle(.character("Z"))
        #expect(state.message?.text.hasPrefix("no command on Z") == true)
        state.notice(StatusMessage("a crash again", priority: .important))
        state.now = start + .seconds(30)
        state.notice(StatusMessage("Server.log was rotated; following the new file", priority: .routine))
        #expect(
            state.message?.text == "Server.log was rotated; following the new file", "after the minimum time it may go")
    }
}
