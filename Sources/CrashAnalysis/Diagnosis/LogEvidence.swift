/// A log line handed to the analysis for correlation with a crash (the dashboard converts its own lines to these).
public struct LogEvidenceLine: Sendable, Codable, Hashable {
    /// The line's own time, seconds on the same scale as `CrashTime.secondsSinceEpoch`.
    public var time: Int64
    /// `Server.log`, `Playerbot.log`, …
    public var source: String
    /// `ERROR`, `WARN`, `INFO`, … or nil when unknown.
    public var level: String?
    public var text: String

    public init(time: Int64, source: String, level: String?, text: String) {
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
}

extension CrashTime {
    /// Seconds since 1970 reading the fields as UTC, the scale `LogEvidenceLine.time` uses.
    public var secondsSinceEpoch: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return (era * 146_097 + doe - 719_468) * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
    }
}
