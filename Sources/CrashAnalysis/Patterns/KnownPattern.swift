/// A known kind of crash, from a TOML file in `Rules/patterns/`: how to recognise it and what to say about it.
public struct KnownPattern: Sendable, Codable, Hashable {
    public var id: String
    public var name: String
    public var severity: Severity
    public var rootCause: String
    public var suggestions: [String]
    /// The fix engine's templates for it, tried in this order (`bot-login-setup`, then `bot-guard`).
    public var fixTemplates: [String]
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
