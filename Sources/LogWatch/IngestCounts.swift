public import SystemPackage

/// What classifying a whole file found: lines per level, with timestamps, with logger names.
public struct IngestCounts: Sendable {
    public var bytes: Int64 = 0
    public var lines = 0
    /// Index 0: no level; then `LogLevel.rawValue` (1 TRACE … 6 FATAL).
    public var levels = [Int](repeating: 0, count: 7)
    public var stamped = 0
    public var withLogger = 0

    public init() {}

    /// Classifies every line of `path` (level, time, logger) the allocation-free way: the hot path of ingesting.
    public static func classify(_ path: FilePath, parser: LinePrefixParser = .standard) throws -> IngestCounts {
        var counts = IngestCounts()
        var levels = (0, 0, 0, 0, 0, 0, 0)
        var stamped = 0, withLogger = 0, lines = 0
        // The standard formats call their fast path directly: no parser value is touched per line.
        let standard = parser.isStandard
        counts.bytes = try LogScanner().scan(path) { line, _ in
            let prefix = standard ? StandardPrefix.parse(line) : parser.parse(line)
            lines &+= 1
            switch prefix.level {
            case nil: levels.0 &+= 1
            case .trace: levels.1 &+= 1
            case .debug: levels.2 &+= 1
            case .info: levels.3 &+= 1
            case .warn: levels.4 &+= 1
            case .error: levels.5 &+= 1
            case .fatal: levels.6 &+= 1
            }
            if prefix.timestamp != nil { stamped &+= 1 }
            if prefix.logger != nil { withLogger &+= 1 }
        }
        counts.lines = lines
        counts.levels = [levels.0, levels.1, levels.2, levels.3, levels.4, levels.5, levels.6]
        counts.stamped = stamped
        counts.withLogger = withLogger
        return counts
    }
}
