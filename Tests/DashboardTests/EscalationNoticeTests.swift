import Foundation
import LogWatch
import Testing

@testable import Dashboard
@testable import TerminalUI

/// An escalation shows on the status bar (before routine notices) and asks for the bell — once per escalation, for
/// error templates as for warnings.
@Suite struct EscalationNoticeTests {
    @Test func anErrorStormIsSaidOnceOnTheStatusBarWithTheBell() {
        var state = DashboardState(
            panes: [LogPane(title: "Server.log", path: "Server.log")], size: Size(width: 160, height: 30))
        var classifier = LineClassifier()
        func lines(_ minute: Int, _ second: Int, _ count: Int) -> LogBatch {
            let stamp = String(format: "2025-10-31_11:%02d:%02d", minute, second)
            return LogBatch(
                lines: (0..<count).map { n in
                    classifier.classify(
                        RawLine(bytes: Array("\(stamp) ERROR [spells] Spell has no triggered spell (\(n % 1))".utf8)))
                })
        }
        for minute in 0..<12 { state.ingest(lines(minute, 30, 1), into: 0) }
        #expect(state.announceEscalations().isEmpty)
        state.ingest(lines(12, 5, 40), into: 0)
        let fresh = state.announceEscalations()
        #expect(fresh.map(\.stats.template) == ["Spell has no triggered spell (0)"])
        let text = state.message?.text ?? ""
        #expect(
            text.hasPrefix(
                "escalating error: Spell has no triggered spell (0) — 41 in the last minute, 41× its usual rate"),
            "\(text)")
        let priority = state.message?.priority
        #expect(priority == .important)
        let bell = state.wantsBell
        #expect(bell)
        let frame = DashboardRenderer.render(state).text
        #expect(frame.contains("1 escalating"))
        state.wantsBell = false
        #expect(state.announceEscalations().isEmpty, "said once")
        let bellAgain = state.wantsBell
        #expect(!bellAgain)
    }
}
