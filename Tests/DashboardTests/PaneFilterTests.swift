import LogWatch
import Testing

@testable import Dashboard
@testable import TerminalUI

/// `f` (show only), `F` (hide) and `l` (levels) stack in a log pane; `?` scrolls and shows the keys of the view it
/// was opened from.
@Suite struct PaneFilterTests {
    private func makeState() -> DashboardState {
        var state = DashboardState(
            panes: [LogPane(title: "Server.log", path: "Server.log")], size: Size(width: 100, height: 24))
        let lines = [
            "2025-10-31_11:14:33 ERROR [sql.sql] Deadlock found in map 571",
            "2025-10-31_11:14:33 WARN  [misc] map 571 slow",
            "2025-10-31_11:14:33 INFO  [misc] map 571 loaded",
            "2025-10-31_11:14:33 ERROR [misc] Spell 12 failed",
        ]
        state.ingest(LogBatch.classified(lines), into: 0)
        return state
    }

    private func type(_ text: String, _ state: inout DashboardState) {
        for character in text { state.handle(.character(character)) }
        state.handle(.enter)
    }

    private func shown(_ state: DashboardState) -> [String] {
        state.panes[0].visibleLines(height: 10).map { String($0.message) }
    }

    @Test func showOnlyHideAndLevelsStack() {
        var state = makeState()
        state.handle(.character("f"))
        type("map 571", &state)
        #expect(shown(state) == ["Deadlock found in map 571", "map 571 slow", "map 571 loaded"])
        state.handle(.character("F"))
        type("slow", &state)
        #expect(shown(state) == ["Deadlock found in map 571", "map 571 loaded"])
        state.handle(.character("l"))
        #expect(shown(state) == ["Deadlock found in map 571"])
        #expect(state.message?.text == "Server.log: warnings and errors (l: next)")
        let frame = DashboardRenderer.render(state).text
        #expect(frame.contains("filter /map 571/ not /slow/ warnings and"))
        state.handle(.character("l"))
        state.handle(.character("f"))
        type("", &state)
        #expect(shown(state) == ["Deadlock found in map 571", "Spell 12 failed"], "errors only, nothing hidden")
        state.handle(.character("l"))
        state.handle(.character("F"))
        type("", &state)
        #expect(shown(state).count == 4)
        #expect(state.panes[0].filter == nil)
    }

    @Test func helpScrollsAndListsTheKeysOfTheViewItWasOpenedFrom() {
        var state = makeState()
        state.size = Size(width: 80, height: 12)
        state.handle(.character("?"))
        let first = DashboardRenderer.render(state).text
        #expect(first.contains("scroll ("))
        state.handle(.character("j"))
        state.handle(.character("j"))
        let scrolled = DashboardRenderer.render(state).text
        #expect(scrolled != first)
        state.handle(.character("x"))
        #expect(state.mode == .normal)
        state.mode = .crashDetail(CrashDetail())
        state.handle(.character("?"))
        #expect(state.mode == .help)
        let help = DashboardRenderer.render(state).text
        #expect(help.contains("Keys — crash detail"))
        #expect(help.contains("the report's own text"))
        state.handle(.escape)
        #expect(state.mode == .crashDetail(CrashDetail()), "back to the detail view")
    }
}
