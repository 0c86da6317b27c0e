/// The severity of a log line, in TrinityCore's order (TRACE lowest, FATAL highest).
public enum LogLevel: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    case trace = 1, debug, info, warn, error, fatal

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The name TrinityCore writes in a prefixed line (`ERROR`, `WARN`, …).
    public var description: String {
        switch self {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO"
        case .warn: "WARN"
        case .error: "ERROR"
        case .fatal: "FATAL"
        }
    }

    /// True for ERROR and FATAL, the lines `e`/`E` jump between.
    public var isError: Bool { self >= .error }
}
