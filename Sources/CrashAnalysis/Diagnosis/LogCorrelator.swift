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
}
