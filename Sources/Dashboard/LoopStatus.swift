public import Supervisor

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
    /// The last lines the server, build and test printed (standard error lines start with `! `).
    public var output: [String] = []
    /// True when the loop stopped on a failed build and the applied fix can be reverted (`U` in the loop view).
    public var canRevert = false

    mutating func addOutput(_ lines: [String]) {
        output += lines
        if output.count > 300 { output.removeFirst(output.count - 300) }
    }

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
