import LogWatch
import TerminalUI

// The errors and warnings panes: moving the selection, opening an error or a warning's occurrences.
extension DashboardState {

    /// Moves the highlighted row of the focused list pane.
    mutating func moveSelection(_ step: ListStep) {
        let height = focusedBodyHeight
        let selection: WritableKeyPath<DashboardState, TriageSelection>
        let count: Int
        switch focus {
        case .errors: (selection, count) = (\.errorSelection, triage.errors.entries.count)
        case .warnings: (selection, count) = (\.warningSelection, triage.warnings.templates.count)
        case .inbox: (selection, count) = (\.crashes.inboxSelection, crashes.inbox.count)
        case .history: (selection, count) = (\.crashes.historySelection, crashes.groups.count)
        case .serverLog, .playerbotLog: return
        }
        self[keyPath: selection].move(by: step.delta(count: count, height: height), count: count, height: height)
    }

    mutating func performTriage(_ action: KeyTable.TriageAction) {
        switch action {
        case .move(let step):
            moveSelection(step)
        case .open:
            if focus == .errors {
                let rows = errorRows
                guard errorSelection.row < rows.count else { return }
                let entry = rows[errorSelection.row]
                jumpToLine(pane: entry.pane, number: entry.lineNumber)
            } else {
                let rows = warningRows
                guard warningSelection.row < rows.count else { return }
                mode = .occurrences(rows[warningSelection.row].stats.template)
            }
        }
    }

    mutating func handleOccurrences(_ key: Key, template: String) {
        switch key {
        case .enter:
            mode = .normal
            if let newest = triage.warnings.templates[template]?.latest.last {
                jumpToLine(pane: newest.pane, number: newest.lineNumber)
            }
        default:
            mode = .normal
        }
    }
}
