import CrashwatchKit
public import LogWatch

/// The crash analysis engine: report text (and optionally the log lines before the crash) in, a full analysis out.
///
/// Pure: no files, no network, no clock. Rule lists and patterns are handed in as loaded values.
///
/// ```swift
/// let analyzer = CrashAnalyzer(rules: rules, patterns: patterns, components: components)
/// let result = analyzer.analyze(text: reportText, file: "Crashes/7d14957a32df_worldserver.exe_[31-10_11-14-33].txt")
/// print(result.signature.signature)   // "ACCESS_VIOLATION | Map::Update"
/// ```
public struct CrashAnalyzer: Sendable {
    public let generator: SignatureGenerator
    public let patterns: [KnownPattern]
    let diagnoser: Diagnoser
    /// Masks the warnings before a crash into templates, as the warnings pane does (`Rules/masking.txt`).
    public let templater: MessageTemplater

    public init(
        rules: SignatureRules, patterns: [KnownPattern], components: ComponentRules,
        templater: MessageTemplater = MessageTemplater(rules: .numbersAndHex)
    ) {
        generator = SignatureGenerator(rules: rules)
        self.patterns = patterns
        diagnoser = Diagnoser(patterns: patterns, components: components)
        self.templater = templater
    }

    /// - Parameters:
    ///   - crashTime: when the crash happened, on the `LogEvidenceLine.time` scale; defaults to the report's own time.
    ///   - timeIfUnstated: the crash time to use when the report states none (the file's time).
    ///   - logLines: recent log lines; only those in the window before the crash are used.
    ///   - qualify: names the class of a method an assertion names alone, from the source tree.
    /// A bot log (`Playerbot.log`) written in the five minutes before the crash: bots were running.
    static func botLogActivity(_ lines: [LogEvidenceLine], before crashTime: Int64) -> String? {
        let written = lines.filter { line in
            line.time <= crashTime && line.time >= crashTime - 300
                && line.source.lowercased().contains("bot")
        }
        guard let last = written.last else { return nil }
        return
            "\(last.source) wrote \(written.count) line(s) in the 5 minutes before the crash (last \(crashTime - last.time) s before: \(last.text.prefix(80)))"
    }

    public func analyze(
        text: String, file: String? = nil, crashTime: Int64? = nil, timeIfUnstated: Int64? = nil,
        logLines: [LogEvidenceLine] = [], untimedLogs: [UntimedLog] = [],
        qualify: (@Sendable (String, String?) -> String?)? = nil
    ) -> CrashAnalysisResult {
        let report = CrashReportParser.parse(text)
        let signature = generator.signature(for: report, qualify: qualify)
        let time = crashTime ?? report.crashTime?.secondsSinceEpoch ?? timeIfUnstated
        var correlation: LogCorrelation?
        if let time, !logLines.isEmpty || !untimedLogs.isEmpty {
            var found = LogCorrelator.correlate(logLines, crashTime: time, templater: templater)
            let placed = LogCorrelator.place(untimedLogs, crashTime: time)
            found.placedRuns = placed.runs
            found.notes = placed.notes
            if found.errors.isEmpty, found.repeatedWarnings.isEmpty, found.lastBotActions.isEmpty, !logLines.isEmpty {
                found.notes?.append(
                    "no timestamped line of the logs falls in the \(found.windowSeconds) s before the crash (\(CivilTime(secondsSinceEpoch: time)))"
                )
            }
            correlation = found
        } else if time == nil, !logLines.isEmpty || !untimedLogs.isEmpty {
            correlation = LogCorrelation(
                windowSeconds: 300, errors: [], repeatedWarnings: [], lastBotActions: [], placedRuns: [],
                notes: ["the report states no crash time, so no log line can be placed before it"])
        }
        let logText =
            correlation.map { c in
                (c.errors.map(\.text) + c.repeatedWarnings.map(\.lastExample) + c.lastBotActions.map(\.line)
                    + (c.placedRuns ?? []).flatMap { $0.lines.map(\.text) }).joined(separator: "\n")
            } ?? ""
        let diagnosis = diagnoser.diagnose(
            report, signature: signature, logText: logText, botActions: correlation?.lastBotActions ?? [],
            botLog: time.flatMap { Self.botLogActivity(logLines, before: $0) })
        return CrashAnalysisResult(
            file: file, report: report, signature: signature, diagnosis: diagnosis, correlation: correlation)
    }
}
