import CrashwatchKit
import LogWatch
import TerminalUI

/// Draws the errors and warnings panes and the occurrences overlay.
enum TriageRenderer {
    static let sparkBlocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    static func title(_ text: String, focused: Bool, area: DashboardLayout.PaneArea, into grid: inout CellGrid) {
        let role: StyleRole = focused ? .paneTitleFocused : .paneTitle
        grid.fill(Rect(x: area.body.x, y: area.titleRow, width: area.body.width, height: 1), role: role)
        grid.write(text, at: Point(x: area.body.x, y: area.titleRow), role: role, maxWidth: area.body.width)
    }

    static func drawErrors(_ state: DashboardState, area: DashboardLayout.PaneArea, into grid: inout CellGrid) {
        let focused = state.focus == .errors
        let ring = state.triage.errors
        let fmt = DashboardRenderer.formatCount
        let rows = state.errorRows
        let escalating = state.escalatingErrorTemplates
        title(
            "\(focused ? "▶" : " ")3 Errors │ \(fmt(ring.total)) seen"
                + (escalating > 0 ? " │ \(escalating) escalating" : "")
                + " │ \(fmt(ring.entries.count)) of last \(fmt(ring.capacity)) kept"
                + (state.listFilters[.errors].map { " │ filter \($0) \(fmt(rows.count)) shown" } ?? "")
                + (state.pausedErrors != nil
                    ? " │ PAUSED +\(fmt(ring.total - state.errorsSeenAtPause)) (= resumes)" : "")
                + state.errorSelection.newAboveText,
            focused: focused, area: area, into: &grid)
        let body = area.body
        grid.fill(body, role: .text)
        guard !rows.isEmpty else {
            grid.write(
                state.listFilters[.errors] == nil ? " no errors yet" : " no error matches the filter",
                at: Point(x: body.x, y: body.y), role: .dim, maxWidth: body.width)
            return
        }
        drawList(count: rows.count, selection: state.errorSelection, focused: focused, in: body, into: &grid) { index in
            let entry = rows[index]
            let time = entry.time?.timeOfDay ?? "--:--:--"
            let source = entry.source.replacingSuffix(".log")
            var text = "\(time) \(source.padded(to: 10)) "
            // Count and flags before the message, so a long message cannot push them off the screen.
            if entry.count > 1 { text += "×\(fmt(entry.count)) " }
            if !entry.flags.isEmpty { text += "⚑" + entry.flags.joined(separator: ",") + " " }
            if let logger = entry.logger { text += "[\(logger)] " }
            text += entry.message
            return (text, DashboardRenderer.role(for: entry.level))
        }
    }

    static func drawWarnings(_ state: DashboardState, area: DashboardLayout.PaneArea, into grid: inout CellGrid) {
        let focused = state.focus == .warnings
        let tracker = state.triage.warnings
        let rows = state.warningRows
        let fmt = DashboardRenderer.formatCount
        let escalating = rows.filter { $0.state == .escalating }.count
        var heading = "\(focused ? "▶" : " ")4 Warnings │ \(fmt(rows.count)) templates │ \(escalating) escalating"
        if tracker.evicted > 0 {
            heading += " │ \(fmt(tracker.evicted)) least recent dropped (limit \(fmt(tracker.config.maxTemplates)))"
        }
        if let threshold = tracker.config.lifetimeCountThreshold { heading += " │ rule: seen \(threshold)+ times" }
        if let filter = state.listFilters[.warnings] { heading += " │ filter \(filter) \(fmt(rows.count)) shown" }
        if state.pausedWarnings != nil {
            let lines = tracker.templates.values.reduce(0) { $0 + $1.total } - state.warningLinesAtPause
            heading += " │ PAUSED +\(fmt(lines)) (= resumes)"
        }
        heading += state.warningSelection.newAboveText
        title(heading, focused: focused, area: area, into: &grid)
        let body = area.body
        grid.fill(body, role: .text)
        guard body.height > 0 else { return }
        let compact = body.width < DashboardLayout.compactListWidth
        grid.write(
            compact
                ? "state        1m   10m   total  template"
                : "state        1m   10m    1h   total  last 20 min          template",
            at: Point(x: body.x, y: body.y), role: .dim, maxWidth: body.width)
        guard !rows.isEmpty else {
            if body.height > 1 {
                grid.write(" no warnings yet", at: Point(x: body.x, y: body.y + 1), role: .dim, maxWidth: body.width)
            }
            return
        }
        let list = Rect(x: body.x, y: body.y + 1, width: body.width, height: body.height - 1)
        drawList(count: rows.count, selection: state.warningSelection, focused: focused, in: list, into: &grid) {
            index in
            let row = rows[index]
            let role: StyleRole
            switch row.state {
            case .escalating: role = .error
            case .new: role = .warn
            case .steady: role = .text
            case .calming, .quiet: role = .dim
            }
            var text = row.state.rawValue.padded(to: 10)
            text += Self.compact(row.lastMinute).leftPadded(to: 5) + Self.compact(row.lastTenMinutes).leftPadded(to: 6)
            if compact {
                text += Self.compact(row.stats.total).leftPadded(to: 8) + "  "
            } else {
                text += Self.compact(row.lastHour).leftPadded(to: 6) + Self.compact(row.stats.total).leftPadded(to: 8)
                text += "  " + sparkline(row.stats.perMinute(last: 20, now: tracker.now)) + " "
            }
            if !row.stats.flags.isEmpty { text += "⚑" + row.stats.flags.joined(separator: ",") + " " }
            text += row.stats.template
            return (text, role)
        }
    }

    /// The rows of a list pane (errors, warnings, inbox, history) in `rows`, scrolled so the selected row shows,
    /// and highlighted when the pane has the focus; `line` gives each row's text and role.
    static func drawList(
        count: Int, selection: TriageSelection, focused: Bool, in rows: Rect, into grid: inout CellGrid,
        line: (Int) -> (String, StyleRole)
    ) {
        var selection = selection
        selection.clamp(count: count, height: rows.height)
        for offset in 0..<max(0, min(rows.height, count - selection.top)) {
            let index = selection.top + offset
            let y = rows.y + offset
            let (text, role) = line(index)
            let selected = focused && index == selection.row
            let row = Rect(x: rows.x, y: y, width: rows.width, height: 1)
            if selected { grid.fill(row, role: .cursorLine) }
            // The text keeps its level's role; the row is marked, so it is drawn highlighted in that colour.
            grid.write(text, at: Point(x: rows.x, y: y), role: role, maxWidth: rows.width)
            if selected { grid.markSelected(row) }
        }
    }

    static func drawOccurrences(_ state: DashboardState, template: String, into grid: inout CellGrid) {
        guard let stats = state.triage.warnings.templates[template] else { return }
        var lines = [
            "first seen \(CivilTime(secondsSinceEpoch: stats.firstSeen)), last \(CivilTime(secondsSinceEpoch: stats.lastSeen)), \(stats.total) in all",
            "",
        ]
        // What the masks stand for: which bots, quests, spells, addresses — the most frequent first.
        let masks = stats.values.top(5).filter { !$0.values.isEmpty }
        for mask in masks {
            let values = mask.values.map { "\($0.text) ×\($0.count)" }.joined(separator: ", ")
            lines.append("\(mask.token) \(values)\(mask.others > 0 ? ", +\(mask.others) more" : "")")
        }
        if !masks.isEmpty { lines.append("") }
        for occurrence in stats.latest.reversed() {
            let pane = occurrence.pane < state.panes.count ? state.panes[occurrence.pane].title : "?"
            lines.append(
                "\(CivilTime(secondsSinceEpoch: occurrence.time).timeOfDay) \(pane) line \(occurrence.lineNumber)")
            lines.append("  " + occurrence.text)
        }
        let width = min(grid.size.width - 2, max(40, (lines.map { DisplayWidth.of($0) }.max() ?? 0) + 4))
        let height = min(grid.size.height - 2, lines.count + 2)
        let x = max(0, (grid.size.width - width) / 2), y = max(0, (grid.size.height - height) / 2)
        grid.fill(Rect(x: x, y: y, width: width, height: height), role: .overlay)
        grid.write(
            " Latest occurrences: \(template) ", at: Point(x: x + 2, y: y), role: .overlayTitle, maxWidth: width - 4)
        for (offset, line) in lines.prefix(height - 2).enumerated() {
            grid.write(line, at: Point(x: x + 2, y: y + 1 + offset), role: .overlay, maxWidth: width - 4)
        }
    }

    static func sparkline(_ counts: [Int]) -> String {
        let peak = counts.max() ?? 0
        guard peak > 0 else { return String(repeating: " ", count: counts.count) }
        return String(
            counts.map { count in
                count == 0 ? " " : sparkBlocks[min(sparkBlocks.count - 1, (count * sparkBlocks.count - 1) / peak)]
            })
    }

    /// 999, 1.2k, 34k, 1.2M.
    static func compact(_ value: Int) -> String {
        switch value {
        case ..<1_000: return "\(value)"
        case ..<10_000: return "\(value / 1000).\(value % 1000 / 100)k"
        case ..<1_000_000: return "\(value / 1000)k"
        default: return "\(value / 1_000_000).\(value % 1_000_000 / 100_000)M"
        }
    }
}

extension String {
    func padded(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    func leftPadded(to width: Int) -> String {
        count >= width ? " " + self : String(repeating: " ", count: width - count) + self
    }

    func replacingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
