import CrashwatchKit
import Foundation
import LogWatch
import TestSupport
import Testing

@testable import Dashboard
@testable import TerminalUI

/// `/`, `n`/`N` and `e`/`E` past the lines held in memory go through the file's index (the case: `N` said
/// "no earlier match for /Deadlock/" while grep found it at file lines 270 and 1125).
@Suite struct WholeFileSearchTests {
    let scratch = TemporaryDirectory("cw-wholefile")

    /// 2,000 file lines, the newest 100 held; Deadlock at 270 and 1125, an error at 500.
    private func makeState() throws -> DashboardState {
        let path = scratch.file("Server.log")
        let all = (1...2_000).map { n -> String in
            switch n {
            case 270, 1125: "2025-10-31_11:14:33 ERROR [sql.sql] Deadlock found when trying to get lock"
            case 500: "2025-10-31_11:14:33 ERROR [misc] Map::Update failed"
            default: "2025-10-31_11:14:33 INFO  [t] file line \(n)"
            }
        }
        return try DashboardState.fileBacked(all, path: path)
    }

    /// What the app does: runs each file search and each load, and hands the answers back.
    private func run(_ state: inout DashboardState) throws {
        while !state.effects.isEmpty {
            let effects = state.effects
            state.effects = []
            for effect in effects {
                switch effect {
                case .searchFile(let request):
                    let query: FileSearch.Query =
                        switch request.target {
                        case .text(let pattern): .text(try FileSearch.TextPattern(pattern))
                        case .levels(let levels): .levels(levels)
                        case .time(let seconds): .time(seconds)
                        }
                    let line = try FileSearch(index: state.panes[request.pane].archive!).find(
                        query, after: request.from, direction: request.forward ? .forward : .backward)
                    state.fileSearchFinished(request, line: line)
                case .loadArchive(let pane, let top, let count):
                    state.panes[pane].setArchiveWindow(
                        top: top, lines: try state.panes[pane].archive!.lines(from: top, count: count))
                default: break
                }
            }
        }
    }

    private func type(_ text: String, _ state: inout DashboardState) {
        for character in text { state.handle(.character(character)) }
    }

    @Test func searchAndNGoPastTheHeldLinesIntoTheFile() throws {
        var state = try makeState()
        type("/Deadlock", &state)
        state.handle(.enter)
        #expect(state.fileSearch != nil, "not among the held lines: the file is searched")
        #expect(state.message?.text.contains("Esc cancels") == true)
        try run(&state)
        #expect(state.panes[0].markedNumber == 1125)
        #expect(state.message?.text.contains("/Deadlock/ at line 1125 of Server.log") == true)
        let frame = DashboardRenderer.render(state).text
        #expect(frame.contains("Deadlock found"))

        state.handle(.character("N"))
        try run(&state)
        #expect(state.panes[0].markedNumber == 270)
        state.handle(.character("N"))
        try run(&state)
        // Round the top to the bottom, saying so.
        #expect(state.panes[0].markedNumber == 1125)
        #expect(state.message?.text.hasPrefix("search wrapped to the bottom") == true)
        state.handle(.character("n"))
        try run(&state)
        #expect(state.message?.text.hasPrefix("search wrapped to the top") == true)
        #expect(state.panes[0].markedNumber == 270)
    }

    @Test func errorJumpsGoBackIntoTheFileAndStopAtItsStart() throws {
        var state = try makeState()
        state.handle(.character("E"))
        try run(&state)
        #expect(state.panes[0].markedNumber == 1125)
        state.handle(.character("E"))
        try run(&state)
        state.handle(.character("E"))
        try run(&state)
        #expect(state.panes[0].markedNumber == 270)
        state.handle(.character("E"))
        try run(&state)
        #expect(state.panes[0].markedNumber == 270)
        #expect(state.message?.text == "no earlier error in Server.log (the whole file was searched)")
    }

    @Test func escCancelsASearchUnderWay() throws {
        var state = try makeState()
        type("/nowhere to be found", &state)
        state.handle(.enter)
        #expect(state.fileSearch != nil)
        state.effects = []
        state.handle(.escape)
        #expect(state.fileSearch == nil)
        #expect(state.effects == [.cancelFileSearch])
        #expect(state.message?.text == "search cancelled")
    }
}
