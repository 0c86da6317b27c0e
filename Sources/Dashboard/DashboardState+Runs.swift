import LogWatch
import TerminalUI

// What changed in a log since the server's last start (`D`): runs split at truncation, at the start-up banner, and
// when the server log shows the server starting again.
extension DashboardState {
    /// How long after a log began a run of its own (its truncation) the server log's restart is taken as the same one.
    static let restartSpread: Int64 = 60

    /// A new run of log `pane` starts (its truncation, rotation or start-up banner).
    ///
    /// The server log's new run starts one in every other log too, when seen live: their next lines belong to the new
    /// run of the server.
    mutating func startRun(pane: Int, live: Bool) {
        runs[pane].startNewRun(at: wallSeconds, byItself: true)
        effects.append(.saveRuns(pane: pane))
        // A restart shows in the server log twice (the `w` truncation, then the banner): it is one restart.
        guard pane == 0, live, wallSeconds - (serverRestartedAt ?? .min / 2) >= Self.restartSpread else { return }
        serverRestartedAt = wallSeconds
        for other in runs.indices where other != pane && !panes[other].isTimeline {
            if let own = runs[other].startedByItselfAt, wallSeconds - own < Self.restartSpread { continue }
            runs[other].startNewRun(at: wallSeconds, byItself: false)
            effects.append(.saveRuns(pane: other))
        }
    }

    /// `D` on a log pane.
    mutating func openRunChanges() {
        guard !panes[focusedLog].isTimeline else {
            message = StatusMessage(
                "D compares one log's runs: press it in that log's pane (1, 2 and 2 again)", isProblem: true)
            return
        }
        mode = .runChanges(pane: focusedLog, row: 0)
    }

    mutating func handleRunChanges(_ key: Key, pane: Int, row: Int) {
        let changes = runs[pane].changes
        let page = max(1, size.height - 8)
        var row = row
        switch key {
        case .character("j"), .down: row += 1
        case .character("k"), .up: row -= 1
        case .character(" "), .pageDown: row += page
        case .character("b"), .pageUp: row -= page
        case .character("g"), .home: row = 0
        case .character("G"), .end: row = changes.count - 1
        case .enter:
            mode = .normal
            guard row < changes.count else { return }
            showLines(of: changes[row], pane: pane)
            return
        default:
            mode = .normal
            return
        }
        mode = .runChanges(pane: pane, row: max(0, min(row, changes.count - 1)))
    }

    /// Enter on a change: its first line in this run, and a search for the template so that `n` goes on to the next.
    private mutating func showLines(of change: RunChange, pane: Int) {
        let title = panes[pane].title
        guard let first = change.firstLine else {
            message = StatusMessage(
                "gone from \(title) in this run (×\(change.before) in the last): \(change.example)")
            return
        }
        if let search = try? LineFilter(template: change.template) { panes[pane].setSearch(search) }
        jumpToLine(pane: pane, number: first)
        if message == nil {
            message = StatusMessage(
                "\(change.kind.rawValue) in this run (×\(change.now), ×\(change.before) in the last): n / N go to its other lines"
            )
        }
    }
}

extension LineFilter {
    /// A search for the lines of a template: its masks (`<n>`, `<name>`, …) match anything.
    init(template: String) throws(InvalidPattern) {
        var pattern = ""
        var rest = Substring(template)
        let masks = ["<n>", "<hex>", "<guid>", "<ip>", "<str>", "<name>"]
        while !rest.isEmpty {
            if let mask = masks.first(where: { rest.hasPrefix($0) }) {
                pattern += ".+?"
                rest = rest.dropFirst(mask.count)
                continue
            }
            let character = rest.removeFirst()
            if "\\^$.|?*+()[]{}".contains(character) { pattern.append("\\") }
            pattern.append(character)
        }
        try self.init(pattern: pattern, label: template)
    }
}
