public import CrashwatchKit
public import DequeModule

/// The last errors from every log, newest last; a template repeated back-to-back is one entry with a count.
public struct ErrorRing: Sendable {
    public struct Entry: Sendable, Equatable {
        public var pane: Int
        public var source: String
        public var time: CivilTime?
        public var level: LogLevel
        public var logger: String?
        public var message: String
        public var template: String
        /// Line number of the newest occurrence, for jumping to it.
        public var lineNumber: Int
        public var count: Int
        public var flags: [String]
        /// Seconds (log time) of the first and newest occurrence in this run of repeats.
        public var firstSeconds: Int64
        public var lastSeconds: Int64

        public init(
            pane: Int, source: String, time: CivilTime?, seconds: Int64, level: LogLevel, logger: String?,
            message: String, template: String, lineNumber: Int, flags: [String]
        ) {
            self.pane = pane
            self.source = source
            self.time = time
            self.level = level
            self.logger = logger
            self.message = message
            self.template = template
            self.lineNumber = lineNumber
            self.count = 1
            self.flags = flags
            self.firstSeconds = seconds
            self.lastSeconds = seconds
        }
    }

    /// Repeats that make a burst: this many back-to-back within `burstSeconds`.
    public static let burstCount = 10
    public static let burstSeconds: Int64 = 10

    public let capacity: Int
    public private(set) var entries: Deque<Entry> = []
    /// Errors recorded since the start, repeats included.
    public private(set) var total = 0

    public init(capacity: Int = 500) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    public mutating func record(_ entry: Entry) {
        total += 1
        if var last = entries.last, last.template == entry.template, last.pane == entry.pane {
            last.count += 1
            last.lineNumber = entry.lineNumber
            last.time = entry.time
            last.lastSeconds = entry.lastSeconds
            last.message = entry.message
            if last.count >= Self.burstCount, last.lastSeconds - last.firstSeconds <= Self.burstSeconds,
                !last.flags.contains("burst")
            {
                last.flags.append("burst")
            }
            entries[entries.count - 1] = last
            return
        }
        if entries.count == capacity { entries.removeFirst() }
        entries.append(entry)
    }
}
