import CrashwatchKit
import LogWatch
public import TerminalUI

/// Draws a `DashboardState` into a `CellGrid`: pure, so whole screens can be compared with golden files.
public enum DashboardRenderer {
    public static func render(_ state: DashboardState) -> CellGrid {
        var grid = CellGrid(size: state.size)
        let layout = state.layout
        if layout.isTooSmall {
            drawTooSmall(&grid)
            return grid
        }
        for kind in PaneKind.allCases {
            guard let area = layout.areas[kind] else { continue }
            switch kind {
            case .serverLog, .playerbotLog:
                guard let index = state.paneIndex(for: kind) else { continue }
                drawTitle(state, paneIndex: index, area: area, into: &grid)
                drawBody(state.panes[index], in: area.body, into: &grid)
            case .errors:
                TriageRenderer.drawErrors(state, area: area, into: &grid)
            case .warnings:
                TriageRenderer.drawWarnings(state, area: area, into: &grid)
            case .inbox:
                CrashRenderer.drawInbox(state, area: area, into: &grid)
            case .history:
                CrashRenderer.drawHistory(state, area: area, into: &grid)
            }
        }
        if let column = layout.separatorColumn {
            for row in 0..<layout.bottomRow { grid.write("│", at: Point(x: column, y: row), role: .dim) }
        }
        drawBottomBar(state, row: layout.bottomRow, into: &grid)
        switch state.mode {
        case .help:
            // Over the view it was opened from.
            if case .crashDetail(let detail)? = state.helpReturn {
                CrashRenderer.drawDetail(state, detail: detail, into: &grid)
            } else if state.helpReturn == .fixPreview {
                FixPreviewRenderer.draw(state, into: &grid)
            }
            drawHelp(state, into: &grid)
        case .occurrences(let template): TriageRenderer.drawOccurrences(state, template: template, into: &grid)
        case .crashDetail(let detail): CrashRenderer.drawDetail(state, detail: detail, into: &grid)
        case .fixPreview: FixPreviewRenderer.draw(state, into: &grid)
        case .loopView: LoopRenderer.draw(state, into: &grid)
        case .lineView(let pane, let number, let inFile):
            drawLineView(state, pane: pane, number: number, inFile: inFile, into: &grid)
        case .runChanges(let pane, let row): RunChangesRenderer.draw(state, pane: pane, row: row, into: &grid)
        case .prompt(let prompt) where prompt.kind.belongsToFixPreview: FixPreviewRenderer.draw(state, into: &grid)
        default: break
        }
        return grid
    }

    /// One pane alone on the whole screen (`crashwatch render --pane`).
    public static func render(_ state: DashboardState, only kind: PaneKind) -> CellGrid {
        var grid = CellGrid(size: state.size)
        if DashboardLayout(size: state.size, logPaneCount: 0, focus: .errors).isTooSmall {
            drawTooSmall(&grid)
            return grid
        }
        let area = DashboardLayout.PaneArea(
            titleRow: 0, body: Rect(x: 0, y: 1, width: state.size.width, height: max(0, state.size.height - 2)))
        switch kind {
        case .serverLog, .playerbotLog:
            guard let index = state.paneIndex(for: kind) else { return grid }
            drawTitle(state, paneIndex: index, area: area, into: &grid)
            drawBody(state.panes[index], in: area.body, into: &grid)
        case .errors: TriageRenderer.drawErrors(state, area: area, into: &grid)
        case .warnings: TriageRenderer.drawWarnings(state, area: area, into: &grid)
        case .inbox: CrashRenderer.drawInbox(state, area: area, into: &grid)
        case .history: CrashRenderer.drawHistory(state, area: area, into: &grid)
        }
        drawBottomBar(state, row: state.size.height - 1, into: &grid)
        return grid
    }

    // MARK: - Parts

    static func drawTooSmall(_ grid: inout CellGrid) {
        let need = DashboardLayout.minimumSize
        let lines = ["terminal too small", "(need \(need.width)×\(need.height))"]
        grid.fill(Rect(x: 0, y: 0, width: grid.size.width, height: grid.size.height), role: .text)
        let top = max(0, (grid.size.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let x = max(0, (grid.size.width - DisplayWidth.of(line)) / 2)
            grid.write(line, at: Point(x: x, y: top + offset), role: .notice)
        }
    }

    static func drawTitle(
        _ state: DashboardState, paneIndex: Int, area: DashboardLayout.PaneArea, into grid: inout CellGrid
    ) {
        let pane = state.panes[paneIndex]
        let focused = paneIndex == state.paneIndex(for: state.focus)
        let role: StyleRole = focused ? .paneTitleFocused : .paneTitle
        let row = area.titleRow
        grid.fill(Rect(x: area.body.x, y: row, width: area.body.width, height: 1), role: role)
        let key = paneIndex == 0 ? 1 : 2
        // Pane 2 takes turns with the server's other logs: the title says which, and that 2 goes on.
        let merged = pane.isTimeline ? " of \(state.panes.count - 1) logs by time" : ""
        var parts = ["\(focused ? "▶" : " ")\(key) \(pane.title)\(merged)"]
        if let condition = pane.fileCondition {
            parts.append(condition == .missing ? "waiting for file" : "\(condition)")
        }
        if let top = pane.archiveTop, let archive = pane.archive {
            parts.append("FILE line \(formatCount(top)) of \(formatCount(archive.lineCount)) (G follows)")
        } else if pane.pausedAt != nil {
            parts.append("PAUSED +\(formatCount(pane.linesHeldByPause))")
        } else if pane.isFollowing {
            parts.append("FOLLOW")
        } else {
            parts.append("SCROLL")
        }
        parts.append("\(formatCount(pane.buffer.totalLines)) lines")
        parts.append("\(formatRate(pane.linesPerSecond(at: state.now)))/s")
        parts.append("E \(formatCount(pane.buffer.errorCount))")
        parts.append("W \(formatCount(pane.buffer.warningCount))")
        if pane.buffer.inferredLevelCount > 0 { parts.append("levels guessed") }
        if let filter = pane.filter { parts.append("filter \(filter) \(formatCount(pane.viewCount)) shown") }
        if let search = pane.search { parts.append("search \(search)") }
        if pane.restarts > 0 { parts.append("restarts \(pane.restarts)") }
        if let progress = pane.indexProgress { parts.append("indexing \(Int(progress * 100)) %") }
        if pane.column > 0 { parts.append("→ column \(pane.column + 1) (0 back)") }
        // Last, as the least needed: pane 2 takes turns with the server's other logs and the timeline.
        if paneIndex > 0, state.panes.count > 2 { parts.append("2: next (\(paneIndex)/\(state.panes.count - 1))") }
        grid.write(
            parts.joined(separator: " │ "), at: Point(x: area.body.x, y: row), role: role, maxWidth: area.body.width)
    }

    /// How many characters of `text` lie left of display column `column`.
    static func charactersBefore(column: Int, in text: String) -> Int {
        guard column > 0 else { return 0 }
        var width = 0
        var count = 0
        for character in text {
            if width >= column { break }
            width += DisplayWidth.of(character)
            count += 1
        }
        return count
    }

    static func drawBody(_ pane: LogPane, in body: Rect, into grid: inout CellGrid) {
        grid.fill(body, role: .text)
        let lines = pane.visibleLines(height: body.height)
        if lines.isEmpty {
            let note: String
            if case .missing? = pane.fileCondition {
                note = "waiting for \(pane.path) to appear"
            } else if pane.filter != nil, pane.buffer.count > 0 {
                note = "no line matches the filter (f, then Enter on an empty line, clears it)"
            } else {
                note = pane.isTimeline ? "no lines yet in any log" : "no lines yet in \(pane.path)"
            }
            grid.write(note, at: Point(x: body.x + 1, y: body.y), role: .dim, maxWidth: body.width - 1)
            return
        }
        // The timeline marks each line with the log it came from, in a column of its own.
        let sources = lines.compactMap { $0.origin.map { sourceTag($0.source) } }
        let tagWidth = sources.isEmpty ? 0 : min(12, sources.map { DisplayWidth.of($0) }.max() ?? 0) + 1
        let textBody = Rect(
            x: body.x + tagWidth, y: body.y, width: max(0, body.width - tagWidth), height: body.height)
        // Each row: a line, or with `|` one piece of a wrapped line (`skipped` characters into it).
        var rows: [(line: LogLine, skipped: Int, text: Substring)] = []
        if pane.wraps {
            for line in lines {
                var skipped = 0
                for piece in wrap(line.text, width: max(1, textBody.width)) {
                    rows.append((line, skipped, Substring(piece)))
                    skipped += piece.count
                }
            }
            // Following, the newest lines stay in sight; scrolled, the top line does.
            rows = pane.isFollowing ? Array(rows.suffix(body.height)) : Array(rows.prefix(body.height))
        } else {
            rows = lines.map { line in
                // Scrolled sideways: the characters left of the view are skipped (by their width), and the search
                // highlights move with them.
                let skipped = Self.charactersBefore(column: pane.column, in: line.text)
                return (line, skipped, line.text.dropFirst(skipped))
            }
        }
        for (offset, entry) in rows.enumerated() {
            let line = entry.line
            let row = body.y + offset
            let role = role(for: line)
            if line.number == pane.markedNumber {
                grid.fill(Rect(x: body.x, y: row, width: body.width, height: 1), role: .cursorLine)
            }
            if let origin = line.origin, entry.skipped == 0 || !pane.wraps {
                grid.write(sourceTag(origin.source), at: Point(x: body.x, y: row), role: .dim, maxWidth: tagWidth - 1)
            }
            let highlights = pane.search?.matchOffsets(in: line.text) ?? []
            let skipped = entry.skipped
            let shown = entry.text
            let start = Point(x: textBody.x, y: row)
            if highlights.isEmpty {
                grid.write(shown, at: start, role: role, maxWidth: textBody.width)
            } else {
                grid.write(shown, at: start, role: role, maxWidth: textBody.width) { offset in
                    highlights.contains { $0.contains(offset + skipped) } ? .searchMatch : nil
                }
            }
            // The jumped-to line keeps its level's colour, highlighted.
            if line.number == pane.markedNumber {
                grid.markSelected(Rect(x: body.x, y: row, width: body.width, height: 1))
            }
            // A line marked with m carries a mark in the last column.
            if pane.archiveTop == nil, pane.marks.contains(line.number), body.width > 0 {
                grid.write("◆", at: Point(x: body.x + body.width - 1, y: row), role: .searchMatch, maxWidth: 1)
            }
        }
    }

    /// How the timeline names a log: its file name without `.log`.
    static func sourceTag(_ title: String) -> String {
        title.hasSuffix(".log") ? String(title.dropLast(4)) : title
    }

    static func role(for line: LogLine) -> StyleRole {
        role(for: line.level)
    }

    static func role(for level: LogLevel?) -> StyleRole {
        switch level {
        case .fatal: .fatal
        case .error: .error
        case .warn: .warn
        case .info: .info
        case .debug: .debug
        case .trace: .trace
        case nil: .text
        }
    }

    static func drawBottomBar(_ state: DashboardState, row: Int, into grid: inout CellGrid) {
        grid.fill(Rect(x: 0, y: row, width: grid.size.width, height: 1), role: .statusBar)
        switch state.mode {
        case .prompt(let prompt):
            grid.fill(Rect(x: 0, y: row, width: grid.size.width, height: 1), role: .prompt)
            // The cursor where typing goes; a long line scrolls so that the cursor stays in sight.
            let typed = Array(prompt.text)
            let text = prompt.shownLabel + String(typed[..<prompt.cursor]) + "▏" + String(typed[prompt.cursor...])
            let upToCursor = DisplayWidth.of(prompt.shownLabel + String(typed[..<prompt.cursor])) + 1
            let overflow = max(0, upToCursor - grid.size.width)
            grid.write(text.dropFirst(overflow), at: Point(x: 0, y: row), role: .prompt)
        case .help:
            let hidden = max(0, helpLineCount(state) - max(0, grid.size.height - 4))
            grid.write(
                hidden > 0
                    ? " ? help — j/k Space/b scroll (\(hidden) more lines) — any other key closes"
                    : " ? help — any key closes", at: Point(x: 0, y: row), role: .statusBar)
        case .occurrences:
            grid.write(
                " Enter jumps to the newest occurrence — any other key closes", at: Point(x: 0, y: row),
                role: .statusBar)
        case .crashDetail:
            grid.write(" " + KeyTable.detailHints, at: Point(x: 0, y: row), role: .statusBar)
        case .loopView, .lineView:
            grid.write(" any key closes", at: Point(x: 0, y: row), role: .statusBar)
        case .runChanges:
            grid.write(
                " j/k move  Enter its first line in this run (then n/N its next)  any other key closes",
                at: Point(x: 0, y: row), role: .statusBar)
        case .fixPreview:
            let text = state.message.map { " " + $0.text } ?? " " + KeyTable.fixPreviewHints
            grid.write(text, at: Point(x: 0, y: row), role: state.message?.isProblem == true ? .notice : .statusBar)
        case .normal:
            if let message = state.message {
                grid.write(" " + message.text, at: Point(x: 0, y: row), role: message.isProblem ? .notice : .statusBar)
            } else {
                let keys =
                    state.focus.isLog
                    ? KeyTable.logHints : state.focus.isCrash ? KeyTable.crashHints : KeyTable.triageHints
                let banner = state.loop.map { $0.summary + "  (L: loop)" } ?? state.banner
                let hints = banner.map { " \($0)  │ \(keys)" } ?? " \(keys)"
                grid.write(hints, at: Point(x: 0, y: row), role: .statusBar)
            }
            // Kept in sight whatever else the bar says: crashes are waiting for the shared history.
            if let offline = state.crashes.historyOffline {
                let text = " \(offline) "
                let width = DisplayWidth.of(text)
                if width < grid.size.width / 2 {
                    grid.write(text, at: Point(x: grid.size.width - width, y: row), role: .notice)
                }
            }
        }
    }

    static func drawHelp(_ state: DashboardState, into grid: inout CellGrid) {
        let (title, lines) = helpContent(state)
        let width = min(
            grid.size.width - 2, max(DisplayWidth.of(title), lines.map { DisplayWidth.of($0) }.max() ?? 0) + 4)
        let height = min(grid.size.height - 2, lines.count + 2)
        let x = max(0, (grid.size.width - width) / 2)
        let y = max(0, (grid.size.height - height) / 2)
        grid.fill(Rect(x: x, y: y, width: width, height: height), role: .overlay)
        grid.write(title, at: Point(x: x + 2, y: y), role: .overlayTitle, maxWidth: width - 2)
        let scroll = max(0, min(state.helpScroll, lines.count - (height - 2)))
        for (offset, line) in lines.dropFirst(scroll).prefix(height - 2).enumerated() {
            grid.write(line, at: Point(x: x + 2, y: y + 1 + offset), role: .overlay, maxWidth: width - 4)
        }
    }

    /// Lines of the `?` list that do not fit the screen.
    static func helpLineCount(_ state: DashboardState) -> Int { helpContent(state).lines.count }

    /// The `?` overlay's title and lines, from the one key table of the focused pane.
    static func helpContent(_ state: DashboardState) -> (title: String, lines: [String]) {
        let entries: [(label: String, summary: String)]
        let paneName: String
        var extra: [String] = []
        if case .crashDetail? = state.helpReturn {
            paneName = "crash detail"
            entries = KeyTable.crashDetail.helpEntries()
        } else if state.helpReturn == .fixPreview {
            paneName = "fix preview"
            entries = KeyTable.fixPreview.helpEntries()
        } else if state.focus.isLog, let index = state.paneIndex(for: state.focus) {
            let pane = state.panes[index]
            paneName = pane.title
            entries = KeyTable.logPane.helpEntries()
            if pane.buffer.inferredLevelCount > 0 {
                extra = [
                    "", "Levels in \(pane.title) are guessed from its messages. For real levels",
                    pane.levelAdvice.map { "\($0)." }
                        ?? "set Appender.<name>=2,2,7,\(pane.title),w in worldserver.conf.",
                ]
            }
        } else if state.focus.isCrash {
            paneName = state.focus.title
            entries =
                KeyTable.crashPane.helpEntries()
                + KeyTable.logPane.filter { [.nextPane, .focusFirst, .help, .quit].contains($0.action) }.map {
                    ($0.label, $0.summary)
                }
        } else {
            paneName = state.focus.title
            entries =
                KeyTable.triagePane.helpEntries()
                + KeyTable.logPane.filter {
                    [
                        .nextPane, .focusFirst, .focusSecond, .focusErrors, .focusWarnings, .focusInbox, .focusHistory,
                        .help, .quit,
                    ].contains($0.action)
                }
                .map { ($0.label, $0.summary) }
        }
        let rows = KeyTable.helpRows(entries)
        let labelWidth = rows.map { DisplayWidth.of($0.label) }.max() ?? 0
        let lines =
            rows.map { entry in
                entry.label + String(repeating: " ", count: labelWidth - DisplayWidth.of(entry.label) + 2)
                    + entry.summary
            } + extra
        return (" Keys — \(paneName)\(state.helpReturn == nil ? " pane" : "") ", lines)
    }

    /// One log line whole, over the panes: what it says wrapped to the width, and what crashwatch knows of it.
    static func drawLineView(
        _ state: DashboardState, pane paneIndex: Int, number: Int, inFile: Bool, into grid: inout CellGrid
    ) {
        guard paneIndex < state.panes.count else { return }
        let pane = state.panes[paneIndex]
        let found = inFile ? pane.archiveLines.first { $0.number == number } : pane.buffer.line(numbered: number)
        guard let line = found else { return }
        let width = max(20, grid.size.width - 6)
        var facts = [
            "level   \(line.level.map { "\($0)" } ?? "none")\(line.levelIsInferred ? " (guessed from its message)" : "")",
            "time    "
                + (line.timestamp.map { "\($0)" }
                    ?? line.readSeconds.map { "none in the line; read at \(CivilTime(secondsSinceEpoch: $0))" }
                    ?? "none in the line"),
            line.origin.map { "file    \($0.source), line \($0.number) of the lines read since start" }
                ?? "file    \(pane.title), line \(number)\(inFile ? "" : " of the lines read since start")",
        ]
        if let logger = line.logger { facts.insert("logger  \(logger)", at: 2) }
        if line.isContinuation { facts.append("        continues the line above (no prefix of its own)") }
        if line.isCut { facts.append("        cut at 64 KiB when read") }
        let text = wrap(line.text, width: width)
        let lines = facts + [""] + text
        let height = min(grid.size.height - 2, lines.count + 2)
        let boxWidth = min(grid.size.width - 2, width + 4)
        let x = max(0, (grid.size.width - boxWidth) / 2), y = max(0, (grid.size.height - height) / 2)
        grid.fill(Rect(x: x, y: y, width: boxWidth, height: height), role: .overlay)
        grid.write(
            " \(pane.title) line \(number) ", at: Point(x: x + 2, y: y), role: .overlayTitle, maxWidth: boxWidth - 4)
        for (offset, text) in lines.prefix(height - 2).enumerated() {
            let role: StyleRole = offset >= facts.count + 1 ? Self.role(for: line) : .overlay
            grid.write(text, at: Point(x: x + 2, y: y + 1 + offset), role: role, maxWidth: boxWidth - 4)
        }
    }

    /// Lines wrapped to `width` columns, each continuation row starting with `↳` in the line's own role: in the crash
    /// detail and the fix preview nothing may run off the screen (a patch's condition at 80 columns).
    static func wrapped(_ lines: [(String, StyleRole)], width: Int) -> [(String, StyleRole)] {
        lines.flatMap { text, role -> [(String, StyleRole)] in
            let pieces = wrap(text, width: max(2, width))
            guard pieces.count > 1 else { return [(text, role)] }
            let rest = wrap(String(text.dropFirst(pieces[0].count)), width: max(1, width - 2))
            return [(pieces[0], role)] + rest.map { ("↳ " + $0, role) }
        }
    }

    /// `text` in rows of at most `width` columns (wide characters count two).
    static func wrap(_ text: String, width: Int) -> [String] {
        var rows: [String] = []
        var row = ""
        var used = 0
        for character in text {
            let characterWidth = DisplayWidth.of(character)
            if used + characterWidth > width, !row.isEmpty {
                rows.append(row)
                row = ""
                used = 0
            }
            row.append(character)
            used += characterWidth
        }
        if !row.isEmpty || rows.isEmpty { rows.append(row) }
        return rows
    }

    // MARK: - Formatting

    static func formatCount(_ value: Int) -> String {
        let digits = String(value)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    static func formatRate(_ value: Double) -> String {
        if value >= 100 { return formatCount(Int(value.rounded())) }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
