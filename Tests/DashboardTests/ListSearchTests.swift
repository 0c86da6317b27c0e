import LogWatch
import Testing

@testable import Dashboard
@testable import TerminalUI

/// `/`, `n`, `N` in the errors pane move the highlight to the rows that match, round the end.
@Suite struct ListSearchTests {
    @Test func slashFindsARowAndNGoesOn() {
        var state = DashboardState(
            panes: [LogPane(title: "Server.log", path: "Server.log")], size: Size(width: 120, height: 30))
        let lines = [
            "2025-10-31_11:14:31 ERROR [spells] Spell 1 failed",
            "2025-10-31_11:14:32 ERROR [sql.sql] Deadlock found",
            "2025-10-31_11:14:33 ERROR [spells] Spell 2 failed",
            "2025-10-31_11:14:34 ERROR [maps] Map 571 broken",
        ]
        state.ingest(LogBatch.classified(lines), into: 0)
        state.handle(.character("3"))
        // Newest first: Map, Spell 2, Deadlock, Spell 1.
        state.handle(.character("/"))
        for character in "spell" { state.handle(.character(character)) }
        state.handle(.enter)
        #expect(state.errorRows[state.errorSelection.row].message == "Spell 2 failed")
        #expect(state.message?.text == "/spell/: row 2 of 4, match 1 of 2")
        state.handle(.character("n"))
        #expect(state.errorRows[state.errorSelection.row].message == "Spell 1 failed")
        state.handle(.character("n"))
        #expect(state.errorRows[state.errorSelection.row].message == "Spell 2 failed")
        #expect(state.message?.text.hasPrefix("search wrapped to the top") == true)
        state.handle(.character("N"))
        #expect(state.errorRows[state.errorSelection.row].message == "Spell 1 failed")
    }
}
