/// What one poll of a followed file produced.
public struct LogBatch: Sendable {
    public var lines: [LogLine]
    public var events: [FollowEvent]
    /// True for lines that were already in the file when following began (the catch-up read), not written live.
    public var isBacklog: Bool

    public init(lines: [LogLine] = [], events: [FollowEvent] = [], isBacklog: Bool = false) {
        self.lines = lines
        self.events = events
        self.isBacklog = isBacklog
    }
}
