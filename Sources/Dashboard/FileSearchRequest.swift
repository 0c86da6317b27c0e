import CrashwatchKit
public import LogWatch

/// A search of a whole log file through its index, asked of the app when the lines held in memory do not have the
/// answer (`n`/`N`, `/`, `e`/`E`, `w`/`W` in file mode or past the oldest held line).
public struct FileSearchRequest: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        /// A `/` pattern.
        case text(String)
        case levels(Set<LogLevel>)
        /// `:goto` a time: the first line stamped at or after it.
        case time(Int64)
    }

    public var pane: Int
    public var target: Target
    /// The file line the search starts after (forward) or before (backward).
    public var from: Int
    public var forward: Bool
    /// True once the search went round the end of the file (said with the answer).
    public var wrapped = false
    /// Whether it may go round at all (searches do; `e`/`w` jumps stop at the end, as lnav's do).
    public var wraps: Bool

    /// What the answer says the search looked for: `/Deadlock/`, `error`, `warning`.
    public var what: String {
        switch target {
        case .text(let pattern): "/\(pattern)/"
        case .levels(let levels): levels.contains(.warn) ? "warning" : "error"
        case .time(let seconds): "the first line at \(CivilTime(secondsSinceEpoch: seconds))"
        }
    }
}
