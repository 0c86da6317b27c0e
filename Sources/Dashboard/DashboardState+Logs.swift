import CrashAnalysis
import CrashwatchKit
import LogWatch

extension DashboardState {
    /// Lines still held by the log panes that can be placed in time (their own time, or when they were read live),
    /// oldest first, for correlating a crash with what preceded it.
    func recentEvidence() -> [LogEvidenceLine] {
        var lines: [LogEvidenceLine] = []
        for pane in panes where !pane.isTimeline {
            for line in pane.buffer.all.suffix(20_000) {
                guard let time = line.placedSeconds else { continue }
                lines.append(
                    LogEvidenceLine(
                        time: time, source: pane.title, level: line.level,
                        text: String(line.message)))
            }
        }
        return lines.sorted { $0.time < $1.time }
    }
}

extension DashboardState {
    /// The `:` commands, for Tab completion.
    static let commandNames = ["goto", "mark", "marks", "stash-pop"]

    /// Runs a `:` command on the focused log pane.
    mutating func runCommand(_ text: String) {
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let name = words.first else { return }
        if name == "stash-pop" {
            effects.append(.popStash)
            message = StatusMessage("putting your stashed changes back…")
            return
        }
        guard focus.isLog, paneIndex(for: focus) != nil else {
            message = StatusMessage(":\(name) works in the log panes (1, 2)", isProblem: true)
            return
        }
        switch name {
        case "goto":
            goto(words.count > 1 ? words[1] : "")
        case "mark":
            toggleMark()
        case "marks":
            let marks = panes[focusedLog].marks.sorted()
            message = StatusMessage(
                marks.isEmpty
                    ? "no marks in \(panes[focusedLog].title) — m marks a line"
                    : "\(marks.count) mark(s) in \(panes[focusedLog].title) — u / U go to the next / previous")
        default:
            message = StatusMessage(
                "no command :\(name) — \(Self.commandNames.map { ":\($0)" }.joined(separator: ", "))", isProblem: true)
        }
    }

    mutating func toggleMark() {
        guard let (line, marked) = panes[focusedLog].toggleMark(height: focusedBodyHeight) else {
            message = StatusMessage(
                panes[focusedLog].archiveTop != nil
                    ? "marks are for the lines held (G, then m)" : "no line to mark", isProblem: true)
            return
        }
        message = StatusMessage(
            "\(marked ? "marked" : "unmarked") line \(line) of \(panes[focusedLog].title) (u / U: next / previous mark)"
        )
    }

    /// `:goto`: a time or a line, among the held lines or, past them, through the file's index.
    mutating func goto(_ text: String) {
        let pane = panes[focusedLog]
        let newest = pane.buffer.all.reversed().lazy.compactMap(\.placedSeconds).first
        let target: GotoTarget
        do {
            target = try GotoTarget.parse(text, newest: newest)
        } catch {
            message = StatusMessage(error.description, isProblem: true)
            return
        }
        switch target {
        case .line(let number):
            guard let archive = pane.archive else {
                message = StatusMessage(
                    "line numbers are the file's once it is indexed\(pane.indexProgress.map { " (\(Int($0 * 100)) %)" } ?? "")",
                    isProblem: true)
                return
            }
            guard number <= archive.lineCount else {
                message = StatusMessage("\(pane.title) has \(archive.lineCount) lines", isProblem: true)
                return
            }
            panes[focusedLog].showArchiveLine(number, height: focusedBodyHeight)
            if let top = panes[focusedLog].archiveTop {
                effects.append(.loadArchive(pane: focusedLog, top: top, count: focusedBodyHeight))
            }
            message = StatusMessage("line \(number) of \(pane.title), read from the file (G follows again)")
        case .time(let seconds):
            let held = pane.buffer.all
            guard held.contains(where: { $0.timestamp != nil }) else {
                message = StatusMessage(
                    "\(pane.title) has no timestamps to go to a time by (turn on Appender flag 1)", isProblem: true)
                return
            }
            let oldest = held.lazy.compactMap(\.placedSeconds).first ?? .max
            if seconds >= oldest, let line = held.first(where: { ($0.placedSeconds ?? .min) >= seconds }) {
                panes[focusedLog].leaveArchive()
                _ = panes[focusedLog].jump(toNumber: line.number, height: focusedBodyHeight)
                message = StatusMessage("\(CivilTime(secondsSinceEpoch: seconds)): line \(line.number) held")
            } else if seconds >= oldest {
                message = StatusMessage(
                    "no line at or after \(CivilTime(secondsSinceEpoch: seconds)) yet in \(pane.title)", isProblem: true
                )
            } else if pane.archive != nil {
                searchFile(.time(seconds), forward: true, from: 0, wraps: false)
            } else {
                message = StatusMessage(
                    "\(CivilTime(secondsSinceEpoch: seconds)) is before the oldest line held; the file is being indexed, then :goto reads it",
                    isProblem: true)
            }
        }
    }
}
