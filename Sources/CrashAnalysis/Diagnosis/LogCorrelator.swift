import CrashwatchKit
public import LogWatch

/// Picks, from recent log lines, those that matter for a crash: the window *before the crash time* (not before now),
/// so a report analysed an hour later gets the same answer.
public enum LogCorrelator {
    /// - Parameter templater: the warnings pane's templater, so that a repeated warning is counted as the pane does.
    public static func correlate(
        _ lines: [LogEvidenceLine], crashTime: Int64, templater: MessageTemplater, windowSeconds: Int64 = 300,
        maxErrors: Int = 20
    ) -> LogCorrelation {
        let window = lines.filter { $0.time <= crashTime && $0.time >= crashTime - windowSeconds }
        let errors = window.filter { $0.level?.isError == true }.suffix(maxErrors)
        var counts: [String: (count: Int, last: String)] = [:]
        for line in window where line.level == .warn {
            let template = templater.template(line.text)
            counts[template, default: (0, line.text)].count += 1
            counts[template]!.last = line.text
        }
        let repeated = counts.filter { $0.value.count >= 3 }
            .map { LogCorrelation.RepeatedWarning(template: $0.key, count: $0.value.count, lastExample: $0.value.last) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.template < $1.template }
        var lastAction: [String: LogEvidenceLine] = [:]
        for line in window {
            guard let bot = BotActivity.botName(in: line.text[...]) else { continue }
            lastAction[bot] = line
        }
        let actions = lastAction.map { bot, line in
            LogCorrelation.BotAction(bot: bot, line: line.text, secondsBeforeCrash: crashTime - line.time)
        }.sorted {
            $0.secondsBeforeCrash != $1.secondsBeforeCrash
                ? $0.secondsBeforeCrash < $1.secondsBeforeCrash : $0.bot < $1.bot
        }
        return LogCorrelation(
            windowSeconds: windowSeconds, errors: Array(errors), repeatedWarnings: Array(repeated.prefix(10)),
            lastBotActions: Array(actions.prefix(10)))
    }

    /// How long after the crash a log may still have been written by the crashed run (a dying server flushes, a
    /// restarter waits): later writes come from a new run.
    static let lastWriteSlack: Int64 = 120

    /// Places the lines of logs without timestamps: the last `count` lines of the run that ended with the crash.
    ///
    /// A file last written by the crash time (plus a little) ends with the crashed run; a file written later holds a
    /// new run after it, so the run before the last start-up is the crashed one; a file with only that new run
    /// (opened with `w`, it was truncated at the restart) has nothing to give, and says so.
    public static func place(_ logs: [UntimedLog], crashTime: Int64, count: Int = 30) -> (
        runs: [PlacedRun], notes: [String]
    ) {
        var runs: [PlacedRun] = []
        var notes: [String] = []
        for log in logs {
            let nonEmpty = log.runs.filter { !$0.isEmpty }
            guard !nonEmpty.isEmpty else {
                notes.append("\(log.source) has no lines")
                continue
            }
            let written = CivilTime(secondsSinceEpoch: log.lastWritten)
            if log.lastWritten <= crashTime + lastWriteSlack {
                let lines = Array(nonEmpty.last!.suffix(count))
                runs.append(
                    PlacedRun(
                        source: log.source,
                        how:
                            "last \(lines.count) lines of the run that was writing it when the server crashed (\(log.source) has no timestamps; last written \(written))",
                        lines: lines))
            } else if nonEmpty.count >= 2 {
                let lines = Array(nonEmpty[nonEmpty.count - 2].suffix(count))
                runs.append(
                    PlacedRun(
                        source: log.source,
                        how:
                            "last \(lines.count) lines of the run before the last start-up (\(log.source) has no timestamps and was written again after the crash, until \(written))",
                        lines: lines))
            } else {
                notes.append(
                    "\(log.source) has no timestamps and holds only a run written after the crash (until \(written)): the crashed run's lines are gone — a log opened with `w` is truncated when the server starts again; turn on timestamps (Appender flags 1) or append mode (`a`) to keep them"
                )
            }
        }
        return (runs, notes)
    }
}
