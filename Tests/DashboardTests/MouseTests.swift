import Foundation
import LogWatch
import Testing

@testable import Dashboard
@testable import TerminalUI

/// Clicks focus the pane under them and select the row or line clicked; the wheel scrolls the pane under the pointer.
@Suite struct MouseTests {
    private func makeState() -> DashboardState {
        var state = DashboardState(
            panes: [LogPane(title: "Server.log", path: "Server.log"), LogPane(title: "Playerbot.log", path: "b")],
            size: Size(width: 160, height: 30))
        var classifier = LineClassifier()
        let lines = (1...40).map { n in
            "2025-10-31_11:14:\(String(format: "%02d", n % 60)) \(n % 4 == 0 ? "ERROR" : "INFO ") [t] line \(n)"
        }
        state.ingest(LogBatch(lines: lines.map { classifier.classify(RawLine(bytes: Array($0.utf8))) }), into: 0)
        return state
    }

    @Test func aClickFocusesAndSelectsAndTheWheelScrolls() throws {
        var state = makeState()
        let errors = try #require(state.layout.areas[.errors])
        // The third row of the errors pane.
        state.handle(.mouse(MouseEvent(.press, x: errors.body.x + 2, y: errors.body.y + 2)))
        #expect(state.focus == .errors)
        #expect(state.errorSelection.row == 2)
        let log = try #require(state.layout.areas[.serverLog])
        state.handle(.mouse(MouseEvent(.press, x: 3, y: log.body.y + 1)))
        #expect(state.focus == .serverLog)
        let shown = state.panes[0].visibleLines(height: log.body.height)
        #expect(state.panes[0].markedNumber == shown[1].number)
        #expect(!state.panes[0].isFollowing, "the clicked line stays put")
        let top = state.panes[0].visibleLines(height: log.body.height).first?.number
        state.handle(.mouse(MouseEvent(.wheelUp, x: 3, y: log.body.y + 1)))
        #expect(state.panes[0].visibleLines(height: log.body.height).first?.number == top.map { $0 - 3 })
        // Over a view, the wheel scrolls the view.
        state.mode = .crashDetail(CrashDetail())
        state.handle(.mouse(MouseEvent(.wheelDown, x: 3, y: 3)))
        guard case .crashDetail = state.mode else {
            Issue.record("the wheel closed the detail view")
            return
        }
    }
}
