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
        /// The fix engine's templates for this pattern, in the order they are tried.
        public var fixTemplates: [String]
        public var evidence: [String]
        /// Upstream commits that fixed this crash (full hashes), for the fix engine to find in the user's remotes.
        public var upstreamFixes: [String] = []

        public init(
            id: String, name: String, severity: Severity, fixTemplates: [String], evidence: [String],
            upstreamFixes: [String] = []
        ) {
            self.id = id
            self.name = name
            self.severity = severity
            self.fixTemplates = fixTemplates
            self.evidence = evidence
            self.upstreamFixes = upstreamFixes
        }

        /// The first template: what `--json` readers of one template per pattern know.
        public var fixTemplate: String? { fixTemplates.first }

        enum CodingKeys: String, CodingKey {
            case id, name, severity, fixTemplate, fixTemplates, evidence, upstreamFixes
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(severity, forKey: .severity)
            try container.encodeIfPresent(fixTemplate, forKey: .fixTemplate)
            try container.encode(fixTemplates, forKey: .fixTemplates)
            try container.encode(evidence, forKey: .evidence)
            try container.encode(upstreamFixes, forKey: .upstreamFixes)
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            name = try container.decode(String.self, forKey: .name)
            severity = try container.decode(Severity.self, forKey: .severity)
            // Stored analyses from before patterns had several templates name one.
            fixTemplates =
                try container.decodeIfPresent([String].self, forKey: .fixTemplates)
                ?? container.decodeIfPresent(String.self, forKey: .fixTemplate).map { [$0] } ?? []
            evidence = try container.decode([String].self, forKey: .evidence)
            // Stored analyses from before upstream fixes were recorded have none.
            upstreamFixes = try container.decodeIfPresent([String].self, forKey: .upstreamFixes) ?? []
        }
    }

    /// Can a maintainer act on this report, and what to do about each reason they would not.
    public struct Verdict: Sendable, Codable, Hashable {
        public var actionable: Bool
        public var problems: [Claim]

        public init(actionable: Bool, problems: [Claim]) {
            self.actionable = actionable
            self.problems = problems
        }

        public var summary: String {
            actionable
                ? (problems.isEmpty
                    ? "a maintainer can act on this report"
                    : "a maintainer can act on it, but: \(problems.count) thing(s) to fix")
                : "a maintainer cannot act on this report as it is"
        }
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
    /// What the report itself says (null arguments, odd values, the assertion's condition and debug info).
    public var clues: [Claim]
    public var verdict: Verdict

    public init(
        severity: Severity, isBotRelated: Bool, botEvidence: [String], components: [String], rootCause: Claim,
        suggestions: [Claim], patterns: [PatternMatch], clues: [Claim] = [],
        verdict: Verdict = Verdict(actionable: true, problems: [])
    ) {
        self.clues = clues
        self.verdict = verdict
        self.severity = severity
        self.isBotRelated = isBotRelated
        self.botEvidence = botEvidence
        self.components = components
        self.rootCause = rootCause
        self.suggestions = suggestions
        self.patterns = patterns
    }

    private enum CodingKeys: String, CodingKey {
        case severity, isBotRelated, botEvidence, components, rootCause, suggestions, patterns, clues, verdict
    }

    /// Diagnoses stored before clues and verdicts existed still decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        severity = try container.decode(Severity.self, forKey: .severity)
        isBotRelated = try container.decode(Bool.self, forKey: .isBotRelated)
        botEvidence = try container.decode([String].self, forKey: .botEvidence)
        components = try container.decode([String].self, forKey: .components)
        rootCause = try container.decode(Claim.self, forKey: .rootCause)
        suggestions = try container.decode([Claim].self, forKey: .suggestions)
        patterns = try container.decode([PatternMatch].self, forKey: .patterns)
        clues = try container.decodeIfPresent([Claim].self, forKey: .clues) ?? []
        verdict =
            try container.decodeIfPresent(Verdict.self, forKey: .verdict) ?? Verdict(actionable: true, problems: [])
    }
}
