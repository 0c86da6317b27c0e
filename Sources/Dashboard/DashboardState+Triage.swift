import CrashInbox
import CrashStore
import Foundation
public import LogWatch
import TerminalUI

// The errors and warnings panes: moving the selection, opening an error or a warning's occurrences.
extension DashboardState {

    /// Moves the highlighted row of the focused list pane.
    mutating func moveSelection(_ step: ListStep) {
        let height = focusedBodyHeight
        let selection: WritableKeyPath<DashboardState, TriageSelection>
        let count: Int
        switch focus {
        case .errors: (selection, count) = (\.errorSelection, errorRows.count)
        case .warnings: (selection, count) = (\.warningSelection, warningRows.count)
        case .inbox: (selection, count) = (\.crashes.inboxSelection, crashes.inboxRows.count)
        case .history: (selection, count) = (\.crashes.historySelection, crashes.groups.count)
        case .serverLog, .playerbotLog: return
        }
        self[keyPath: selection].move(by: step.delta(count: count, height: height), count: count, height: height)
        self[keyPath: selection].anchor(to: selectionKeys(focus))
    }

    /// What names each row of a list pane, in the order it is shown: the highlight follows these.
    func selectionKeys(_ pane: PaneKind) -> [String] {
        switch pane {
        case .errors: errorRows.map { "\($0.pane) \($0.firstSeconds) \($0.template)" }
        case .warnings: warningRows.map(\.stats.template)
        case .inbox: crashes.inboxRows.map { String($0.id) }
        case .history: crashes.groups.map { String($0.id ?? -1) }
        case .serverLog, .playerbotLog: []
        }
    }

    /// After new rows arrived: each anchored highlight stays on its item (rows are only computed where one is).
    mutating func followSelections(_ panes: [PaneKind]) {
        for pane in panes {
            let selection: WritableKeyPath<DashboardState, TriageSelection>
            switch pane {
            case .errors: selection = \.errorSelection
            case .warnings: selection = \.warningSelection
            case .inbox: selection = \.crashes.inboxSelection
            case .history: selection = \.crashes.historySelection
            case .serverLog, .playerbotLog: continue
            }
            guard self[keyPath: selection].anchor != nil else { continue }
            let height =
                layout.areas[pane].map { $0.body.height - (pane == .warnings || pane == .history ? 1 : 0) } ?? 0
            self[keyPath: selection].follow(selectionKeys(pane), height: height)
        }
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

extension DashboardState {
    /// Says the templates (warnings and errors) that started escalating since the last look; returns them.
    ///
    /// Each is said once on the status bar, before routine notices, and asks for the bell; `notify` gets them too.
    public mutating func announceEscalations() -> [EscalationTracker.Row] {
        let errorRows = triage.errorTemplates.escalating()
        escalatingErrorTemplates = errorRows.count
        let rows = (triage.warnings.escalating() + errorRows).sorted {
            $0.lastMinute > $1.lastMinute
        }
        let fresh = rows.filter { !announcedEscalations.contains($0.stats.template) }
        announcedEscalations = Set(rows.map(\.stats.template))
        guard let first = fresh.first else { return [] }
        let (recent, baseline) = first.stats.rates(
            now: first.stats.level.isError ? triage.errorTemplates.now : triage.warnings.now)
        let times =
            baseline.map { $0 > 0 ? String(format: ", %.0f× its usual rate", recent / $0) : ", none before" } ?? ""
        let pane = first.stats.level.isError ? "3 lists errors" : "4 lists warnings"
        let more = fresh.count > 1 ? " (and \(fresh.count - 1) more)" : ""
        notice(
            StatusMessage(
                "escalating \(first.stats.level.isError ? "error" : "warning"): \(first.stats.template) — \(first.lastMinute) in the last minute\(times)\(more); \(pane)",
                isProblem: true, priority: .important))
        wantsBell = true
        needsRedraw = true
        return fresh
    }
}

extension DashboardState {
    /// `/`, `n`, `N` in the errors or warnings pane: the highlight goes to the next (previous) row whose message or
    /// template matches, round the end if need be.
    mutating func findRow(forward: Bool, fromCurrent: Bool) {
        guard let search = listSearches[focus] else {
            message = StatusMessage("no search yet — press / to search", isProblem: true)
            return
        }
        let texts = focus == .errors ? errorRows.map(\.message) : warningRows.map(\.stats.template)
        let matching = texts.indices.filter { search.matches(texts[$0]) }
        let selection = focus == .errors ? errorSelection : warningSelection
        guard !matching.isEmpty else {
            message = StatusMessage("no row matches \(search)", isProblem: true)
            return
        }
        let current = selection.row
        let next =
            forward ? matching.first { fromCurrent ? $0 >= current : $0 > current } : matching.last { $0 < current }
        let target = next ?? (forward ? matching[0] : matching[matching.count - 1])
        let height = focusedBodyHeight
        if focus == .errors {
            errorSelection.move(by: target - current, count: texts.count, height: height)
        } else {
            warningSelection.move(by: target - current, count: texts.count, height: height)
        }
        if focus == .errors {
            errorSelection.anchor(to: selectionKeys(.errors))
        } else {
            warningSelection.anchor(to: selectionKeys(.warnings))
        }
        let place =
            "row \(target + 1) of \(texts.count), match \(matching.firstIndex(of: target)! + 1) of \(matching.count)"
        message = StatusMessage(
            next == nil
                ? "search wrapped to the \(forward ? "top" : "bottom"): \(search) at \(place)" : "\(search): \(place)")
    }
}

extension DashboardState {
    /// A click focuses the pane under it and selects the row (or highlights the log line) clicked.
    ///
    /// The wheel scrolls the pane under the pointer; in a view over the panes it scrolls the view.
    mutating func handleMouse(_ event: MouseEvent) {
        guard mode == .normal else {
            if event.kind != .press {
                for _ in 0..<3 { handle(event.kind == .wheelDown ? .down : .up) }
            }
            return
        }
        let point = Point(x: event.x, y: event.y)
        guard
            let (kind, area) = layout.areas.first(where: { _, area in
                let row = Rect(x: area.body.x, y: area.titleRow, width: area.body.width, height: area.body.height + 1)
                return row.contains(point)
            })
        else { return }
        focus = kind
        if kind == .history { effects.append(.refresh) }
        let bodyRow = event.y - area.body.y
        if let index = paneIndex(for: kind) {
            let height = max(1, area.body.height)
            switch event.kind {
            case .wheelUp: panes[index].scroll(by: -3, height: height)
            case .wheelDown: panes[index].scroll(by: 3, height: height)
            case .press:
                let shown = panes[index].visibleLines(height: height)
                if bodyRow >= 0, bodyRow < shown.count { panes[index].highlight(shown[bodyRow].number) }
            }
            return
        }
        switch event.kind {
        case .wheelUp: moveSelection(.up, times: 3)
        case .wheelDown: moveSelection(.down, times: 3)
        case .press:
            let selection: TriageSelection
            switch kind {
            case .errors: selection = errorSelection
            case .warnings: selection = warningSelection
            case .inbox: selection = crashes.inboxSelection
            case .history: selection = crashes.historySelection
            case .serverLog, .playerbotLog: return
            }
            // The list's first row is under the column header in the warnings, inbox and history panes.
            let header = kind == .errors ? 0 : 1
            let target = selection.top + bodyRow - header
            guard bodyRow >= header, target >= 0 else { return }
            let delta = target - selection.row
            if delta != 0 { moveSelection(delta > 0 ? .down : .up, times: abs(delta)) }
        }
    }

    private mutating func moveSelection(_ step: ListStep, times: Int) {
        for _ in 0..<times { moveSelection(step) }
    }
}
