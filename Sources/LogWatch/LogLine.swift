public import CrashwatchKit

/// One line of a followed log, ready for display: sanitised text plus what its prefix said.
public struct LogLine: Sendable {
    /// 1-based position of the line in what the follower has read since it started (restarts do not reset it).
    public var number: Int
    /// The whole line as it will be shown: valid UTF-8, control characters made visible and inert.
    public var text: String
    /// The level from the prefix, or inferred from the wording when the file has no level prefix.
    public var level: LogLevel?
    /// True when `level` was guessed from the wording rather than read from a prefix.
    public var levelIsInferred: Bool
    /// The line's own time, when the file writes timestamps.
    public var timestamp: CivilTime?
    /// The logger name from a `[logger]` prefix (`sql.sql`, `server.loading`, …).
    public var logger: String?
    /// The text after the prefix.
    public var message: Substring
    /// True when the line was longer than the framer's limit and was cut.
    public var isCut: Bool
    /// A line without a prefix in a file that writes prefixes: the rest of the message started above (a banner, a `|-
    /// Mean:` block, a dump).
    ///
    /// It carries that line's level, time and logger, and is not counted again.
    public var isContinuation = false
    /// When crashwatch read a line that carries no time of its own, as it arrived live (local civil seconds); nil for
    /// lines read from a file's past, whose read time says nothing about when they were written.
    public var readSeconds: Int64?
    /// For a line shown in the timeline (all logs merged by time): the log it came from and its number there.
    public var origin: Origin?

    /// Where a timeline line came from.
    public struct Origin: Sendable, Equatable {
        /// The log's title (`Server.log`).
        public var source: String
        /// The line's number in that log's pane.
        public var number: Int
        /// The seconds it is ordered by: its own time, the time it was read, or else the time of the line before it
        /// in the same log (lines of a file's past that carry no time keep their place after that one).
        public var sortSeconds: Int64

        public init(source: String, number: Int, sortSeconds: Int64) {
            self.source = source
            self.number = number
            self.sortSeconds = sortSeconds
        }
    }

    /// The line's own time, or else when it was read live: what places it before or after a crash.
    public var placedSeconds: Int64? { timestamp?.secondsSinceEpoch ?? readSeconds }

    public init(
        number: Int, text: String, level: LogLevel?, levelIsInferred: Bool = false, timestamp: CivilTime? = nil,
        logger: String? = nil, message: Substring? = nil, isCut: Bool = false
    ) {
        self.number = number
        self.text = text
        self.level = level
        self.levelIsInferred = levelIsInferred
        self.timestamp = timestamp
        self.logger = logger
        self.message = message ?? text[...]
        self.isCut = isCut
    }
}
