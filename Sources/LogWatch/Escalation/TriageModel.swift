import CrashwatchKit

/// What is going wrong right now, built line by line from both logs: the error ring, the warning templates with their
/// escalation, and what each bot did last.
///
/// Pure: lines in, state out.
public struct TriageModel: Sendable {
    public let templater: MessageTemplater
    public let suspicious: SuspiciousRules
    public private(set) var errors: ErrorRing
    public private(set) var warnings: EscalationTracker
    /// Error templates, tracked the same way: an error storm escalates too.
    public private(set) var errorTemplates: EscalationTracker
    public private(set) var bots = BotActivity()
    /// Suspicious-wording flags by template: the wording the rules look at survives masking, so each template is
    /// matched once instead of every line running every regex.
    ///
    /// Cleared when it grows past its bound.
    private var flagsByTemplate: [String: [String]] = [:]

    public init(
        templater: MessageTemplater, suspicious: SuspiciousRules, errorCapacity: Int = 500,
        escalation: EscalationConfig = EscalationConfig()
    ) {
        self.templater = templater
        self.suspicious = suspicious
        errors = ErrorRing(capacity: errorCapacity)
        warnings = EscalationTracker(config: escalation)
        errorTemplates = EscalationTracker(config: escalation)
    }

    /// Takes one line of pane `pane` (named `source`).
    ///
    /// `readTime` stands in for lines that carry no timestamp; `isBotLog` says the pane is the bot log, whose lines
    /// name what each bot did. Returns the line's template when it was a warning or an error.
    @discardableResult
    public mutating func ingest(_ line: LogLine, pane: Int, source: String, readTime: Int64, isBotLog: Bool)
        -> String?
    {
        let seconds = line.placedSeconds ?? readTime
        // A line without a time of its own read from the file's past: its template is known, not new.
        let fromThePast = line.timestamp == nil && line.readSeconds == nil
        if isBotLog { bots.record(line.message, time: seconds, lineNumber: line.number) }
        guard let level = line.level, level >= .warn, !line.isContinuation else { return nil }
        let template = templater.template(line.message)
        let flags: [String]
        if let known = flagsByTemplate[template] {
            flags = known
        } else {
            flags = suspicious.flags(for: String(line.message))
            if flagsByTemplate.count >= 4_096 { flagsByTemplate.removeAll(keepingCapacity: true) }
            flagsByTemplate[template] = flags
        }
        if level.isError {
            // Lines without a timestamp are stamped with the time they were read.
            let time = line.timestamp ?? (readTime > 0 ? CivilTime(secondsSinceEpoch: readTime) : nil)
            errors.record(
                ErrorRing.Entry(
                    pane: pane, source: source, time: time, seconds: seconds, level: level, logger: line.logger,
                    message: String(line.message), template: template, lineNumber: line.number, flags: flags))
            errorTemplates.record(
                template: template, level: level, source: source,
                occurrence: TemplateOccurrence(
                    pane: pane, lineNumber: line.number, time: seconds, text: String(line.message)),
                flags: flags, fromThePast: fromThePast)
        } else {
            warnings.record(
                template: template, level: level, source: source,
                occurrence: TemplateOccurrence(
                    pane: pane, lineNumber: line.number, time: seconds, text: String(line.message)),
                flags: flags, fromThePast: fromThePast)
        }
        return template
    }
}
