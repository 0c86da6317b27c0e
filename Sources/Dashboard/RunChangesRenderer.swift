import CrashwatchKit
import LogWatch
import TerminalUI

/// Draws the `D` view over the panes: a log's templates new, gone, or changed in count since the server's last start.
enum RunChangesRenderer {
    static func draw(_ state: DashboardState, pane: Int, row: Int, into grid: inout CellGrid) {
        guard pane < state.runs.count else { return }
        let tracker = state.runs[pane]
        let title = state.panes[pane].title
        let changes = tracker.changes
        var heading: [String] = []
        let current = tracker.current
        let counted = tracker.countsEveryLine ? "lines" : "warnings and errors"
        heading.append(
            "this run: \(current.lineCount) \(counted), \(current.templates.count) templates"
                + (current.startedAt.map { ", since \(CivilTime(secondsSinceEpoch: $0))" } ?? ""))
        if let previous = tracker.previous {
            heading.append(
                "last run: \(previous.lineCount) \(counted), \(previous.templates.count) templates — \(tracker.previousOrigin)"
            )
            let counts = Dictionary(grouping: changes, by: \.kind).mapValues(\.count)
            heading.append(
                changes.isEmpty
                    ? "the same templates as the last run, each as often"
                    : [RunChange.Kind.new, .gone, .more, .fewer].map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(
                        separator: " · "))
        } else {
            heading.append("no earlier run of \(title) is known yet: crashwatch keeps each run's templates when it")
            heading.append("stops or sees the server start again, and the next run is compared with this one")
        }
        let width = min(grid.size.width - 2, 150)
        let height = min(grid.size.height - 2, max(heading.count + 3, heading.count + 2 + changes.count))
        let x = max(0, (grid.size.width - width) / 2), y = max(0, (grid.size.height - height) / 2)
        grid.fill(Rect(x: x, y: y, width: width, height: height), role: .overlay)
        grid.write(
            " \(title) since the server's last start ", at: Point(x: x + 2, y: y), role: .overlayTitle,
            maxWidth: width - 4)
        for (offset, line) in heading.enumerated() where offset < height - 2 {
            grid.write(line, at: Point(x: x + 2, y: y + 1 + offset), role: .overlay, maxWidth: width - 4)
        }
        let list = Rect(
            x: x + 2, y: y + 1 + heading.count, width: width - 4, height: max(0, height - 2 - heading.count))
        var selection = TriageSelection()
        selection.row = row
        TriageRenderer.drawList(
            count: changes.count, selection: selection, focused: true, in: list, into: &grid
        ) { index in
            let change = changes[index]
            let counts =
                switch change.kind {
                case .new: "×\(change.now)"
                case .gone: "×\(change.before) → 0"
                case .more, .fewer: "\(change.before) → \(change.now)"
                }
            let role: StyleRole =
                switch change.kind {
                case .new, .more: .error
                case .gone, .fewer: .info
                }
            return (change.kind.rawValue.padded(to: 6) + counts.padded(to: 14) + change.template, role)
        }
    }
}
