/// A known kind of crash, from a TOML file in `Rules/patterns/`: how to recognise it and what to say about it.
public struct KnownPattern: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var severity: Severity
    public var rootCause: String
    public var suggestions: [String]
    /// A fix template of the fix engine, e.g.
    ///
    /// `null-guard`, `bot-guard`, `defer-to-next-update`.
    public var fixTemplate: String?
    /// Upstream commits that fixed this crash where the real project fixed it (full 40-hex hashes).
    public var upstreamFixes: [String] = []
    public var matcher: PatternMatcher
    /// A small crash report this pattern must match (checked by the tests).
    public var example: String?
    /// The file the pattern came from.
    public var file: String
}

/// How bad a crash is.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case low, medium, high, critical

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
