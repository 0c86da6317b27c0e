/// What one poll of a followed file produced.
public struct LogBatch: Sendable {
    public var lines: [LogLine]
    public var events: [FollowEvent]

    public init(lines: [LogLine] = [], events: [FollowEvent] = []) {
        self.lines = lines
        self.events = events
    }
}
