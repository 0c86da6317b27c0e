/// What crashwatch keeps of a log between its own starts: the run it was following when it stopped, and the one
/// before that.
public struct SavedRuns: Sendable, Codable, Equatable {
    public var previous: RunSummary?
    public var last: RunSummary

    public init(previous: RunSummary?, last: RunSummary) {
        self.previous = previous
        self.last = last
    }
}
