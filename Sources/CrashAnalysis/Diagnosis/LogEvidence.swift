public import LogWatch

/// A log line handed to the analysis for correlation with a crash (the dashboard converts its own lines to these).
public struct LogEvidenceLine: Sendable, Codable, Hashable {
    /// The line's own time, seconds on the same scale as `CivilTime.secondsSinceEpoch`.
    public var time: Int64
    /// The log the line comes from, such as `Server.log` or `Playerbot.log`.
    public var source: String
    /// `ERROR`, `WARN`, `INFO`, … or nil when unknown.
    public var level: LogLevel?
    public var text: String

    public init(time: Int64, source: String, level: LogLevel?, text: String) {
        self.time = time
        self.source = source
        self.level = level
        self.text = text
    }
}

/// The log lines that preceded a crash: errors, repeating warnings and what each bot did last.
public struct LogCorrelation: Sendable, Codable, Hashable {
    public struct RepeatedWarning: Sendable, Codable, Hashable {
        public var template: String
        public var count: Int
        public var lastExample: String
    }

    public struct BotAction: Sendable, Codable, Hashable {
        public var bot: String
        public var line: String
        public var secondsBeforeCrash: Int64
    }

    public var windowSeconds: Int64
    public var errors: [LogEvidenceLine]
    public var repeatedWarnings: [RepeatedWarning]
    public var lastBotActions: [BotAction]
    /// Lines of logs without timestamps, placed by their run (nil in records written before there were any).
    public var placedRuns: [PlacedRun]?
    /// Why a log gave no lines (no timestamps and no run to place, nothing in the window), said rather than silent.
    public var notes: [String]?

    /// Nothing to show: no line in the window, placed or timed.
    public var isEmpty: Bool {
        errors.isEmpty && repeatedWarnings.isEmpty && lastBotActions.isEmpty && (placedRuns ?? []).isEmpty
    }
}
