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

    /// The level named `name` as TrinityCore writes it (`ERROR`, `WARN`, …).
    public init?(name: String) {
        guard let level = Self.allCases.first(where: { $0.description == name }) else { return nil }
        self = level
    }
}

/// Stored and exchanged by name (`"ERROR"`), as the log writes it.
extension LogLevel: Codable {
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let level = LogLevel(name: name) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "unknown log level \(name)"))
        }
        self = level
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
