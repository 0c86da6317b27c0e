/// What crashwatch thinks happened, and why: every claim carries the rule or frame it rests on.
public struct Diagnosis: Sendable, Codable, Hashable {
    public struct Claim: Sendable, Codable, Hashable {
        public var text: String
        public var evidence: [String]

        public init(text: String, evidence: [String]) {
            self.text = text
            self.evidence = evidence
        }
    }

    public struct PatternMatch: Sendable, Codable, Hashable {
        public var id: String
        public var name: String
        public var severity: Severity
        public var fixTemplate: String?
        public var evidence: [String]
    }

    public var severity: Severity
    public var isBotRelated: Bool
    public var botEvidence: [String]
    /// Parts of the server involved (`Spells`, `Maps`, `Network`, `Playerbot`, …), most specific first.
    public var components: [String]
    public var rootCause: Claim
    /// Ranked, best first.
    public var suggestions: [Claim]
    public var patterns: [PatternMatch]

    public init(
        severity: Severity, isBotRelated: Bool, botEvidence: [String], components: [String], rootCause: Claim,
        suggestions: [Claim], patterns: [PatternMatch]
    ) {
        self.severity = severity
        self.isBotRelated = isBotRelated
        self.botEvidence = botEvidence
        self.components = components
        self.rootCause = rootCause
        self.suggestions = suggestions
        self.patterns = patterns
    }
}
