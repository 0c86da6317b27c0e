public import CrashStore

/// Whether the history takes writes now, and what waits: what the status bar and the panes say about it.
public struct HistoryHealth: Sendable, Equatable {
    /// Occurrences recorded but not written yet.
    public var waiting: Int
    /// Why the last write did not get through, while one did not.
    public var problem: HistoryError?
    /// A problem from opening the history that has not gone away.
    public var setupProblem: String?

    public init(waiting: Int, problem: HistoryError?, setupProblem: String?) {
        self.waiting = waiting
        self.problem = problem
        self.setupProblem = setupProblem
    }

    /// The server cannot be reached or refuses crashwatch: writes wait in the outbox.
    public var isOffline: Bool { problem?.isOffline ?? false }

    /// "history offline, 3 waiting" — for the status bar; nil while all is written.
    public var statusText: String? {
        if isOffline { return "history offline, \(waiting) waiting" }
        return waiting > 0 ? "\(waiting) crash(es) waiting to be saved" : nil
    }

    /// What the inbox and history panes say, with the reason.
    public var paneText: String? {
        if let problem, waiting > 0 || isOffline { return "\(statusText ?? "history"): \(problem)" }
        return waiting > 0 ? statusText : setupProblem
    }
}
