/// A proposed patch for a crash, with what it rests on.
public struct FixCandidate: Sendable, Equatable, Identifiable {
    public var id: String { "\(source)-\(file ?? "none")" }
    /// Where the candidate comes from, such as `template:bot-guard` or `provider:claude`.
    public var source: String
    public var title: String
    /// The unified diff, or nil when no patch could be made (see `problem`).
    public var diff: String?
    public var file: String?
    public var explanation: String
    /// True for fixes that only hide the crash (a null check on a pointer that should never be null, an early
    /// return): shown as a warning in the preview and never applied automatically.
    public var isSymptomOnly: Bool
    public var confidence: Double
    public var evidence: [String]
    /// Why no diff was produced.
    public var problem: String?
    /// Whether the patch compiles with the user's build; nil until it was tried.
    public var compileCheck: CompileCheck?
    /// The upstream commit this patch is a cherry-pick of (`UpstreamFix`), named in its commit message.
    public var upstreamCommit: String?

    /// Whether a person may approve it: it has a patch, and the patch did not fail to compile.
    public var canBeApproved: Bool { diff != nil && compileCheck?.allowsApproval != false }
    /// Whether auto mode may apply it alone: it compiled with the user's build and fixes a cause.
    public var canBeAppliedAutomatically: Bool {
        diff != nil && compileCheck?.compiles == true && !isSymptomOnly && !isEvidenceOnly
    }
    /// A patch that fixes nothing and only gathers evidence for the next occurrence (more logging).
    public var isEvidenceOnly: Bool { source == "template:\(FixTemplate.debugLogging.rawValue)" }

    public init(
        source: String, title: String, diff: String?, file: String?, explanation: String, isSymptomOnly: Bool,
        confidence: Double, evidence: [String], problem: String? = nil
    ) {
        self.source = source
        self.title = title
        self.diff = diff
        self.file = file
        self.explanation = explanation
        self.isSymptomOnly = isSymptomOnly
        self.confidence = confidence
        self.evidence = evidence
        self.problem = problem
    }

    public var filesTouched: [String] { diff.map(UnifiedDiff.touchedFiles) ?? [] }
    public var diffSize: Int { diff.map { UnifiedDiff.size($0).added + UnifiedDiff.size($0).removed } ?? 0 }
}
