import LogWatch
import Testing

@testable import Dashboard
@testable import TerminalUI

/// Pane 2 takes turns with every other log the server writes (`DBErrors.log`, `GM.log`, …): `2` again goes on.
@Suite struct SecondLogSlotTests {
    @Test func twoAgainShowsTheNextLogAndKeysActOnIt() {
        var state = DashboardState(
            panes: ["Server.log", "Playerbot.log", "DBErrors.log", "Eluna.log"].map { LogPane(title: $0, path: $0) },
            size: Size(width: 120, height: 30))
        var classifier = LineClassifier()
        state.ingest(
            LogBatch(lines: [classifier.classify(RawLine(bytes: Array("Table `creature` has no rows".utf8)))]), into: 2)
        state.handle(.character("2"))
        #expect(state.paneIndex(for: .playerbotLog) == 1)
        state.handle(.character("2"))
        #expect(state.paneIndex(for: .playerbotLog) == 2)
        #expect(state.message?.text == "pane 2 shows DBErrors.log (2 of 3; 2 again: the next log)")
        let frame = DashboardRenderer.render(state).text
        #expect(frame.contains("▶2 DBErrors.log │") && frame.contains("2: next (2/3)"))
        #expect(frame.contains("Table `creature` has no rows"))
        state.handle(.character("2"))
        state.handle(.character("2"))
        #expect(state.paneIndex(for: .playerbotLog) == 1, "round to the bot log again")
        // Tab still goes from the logs to the errors, however many logs there are.
        state.handle(.tab)
        #expect(state.focus == .errors)
    }
}
