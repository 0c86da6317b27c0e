import Supervisor

/// What the supervised loop has done so far, for the bottom bar and the loop view (`L`).
public struct LoopStatus: Sendable {
    public struct Entry: Sendable {
        public var event: CrashLoop.Event
        public var elapsed: Duration
    }

    public var mode: String
    public var started: ContinuousClock.Instant
    public var entries: [Entry] = []
    /// Set when the loop has ended.
    public var result: String?
    public var reportPath: String?

    public init(mode: String, started: ContinuousClock.Instant = .now) {
        self.mode = mode
        self.started = started
    }

    /// One line for the bottom bar.
    public var summary: String {
        if let result { return "loop ended: \(result)" }
        guard let last = entries.last else { return "loop (\(mode)): starting" }
        return "loop (\(mode)) iteration \(last.event.iteration): \(last.event.step.rawValue) — \(last.event.detail)"
    }
}
