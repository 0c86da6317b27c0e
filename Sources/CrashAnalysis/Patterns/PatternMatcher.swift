/// The conditions of a pattern.
///
/// Every group that is given must have a hit (`allFunctions`: each entry); the evidence says which frame or text
/// matched which rule.
public struct PatternMatcher: Sendable, Codable, Hashable {
    /// Any of these on a normalised frame of the crashing thread (or the asserting function).
    public var functions = RegexList.empty
    /// Each of these must match some frame.
    public var allFunctions = RegexList.empty
    /// Fault kinds (`ACCESS_VIOLATION`, `SIGSEGV`, `ASSERTION`, …); any.
    public var faultKinds: [String] = []
    /// Any of these on the signature.
    public var signature = RegexList.empty
    /// Any of these anywhere in the report text (locals, assertion message, the log lines before the crash).
    public var text = RegexList.empty
    /// Only crashes with bot involvement match.
    public var requiresBot = false

    public init() {}

    /// How many of the crashing thread's frames are looked at.
    static let framesExamined = 15

    struct Outcome {
        var matched: Bool
        var evidence: [String]
        static let none = Outcome(matched: false, evidence: [])
    }

    func evaluate(frames: [String], faultKind: String, signatureText: String, text reportText: String, isBot: Bool)
        -> Outcome
    {
        var evidence: [String] = []
        func frameHit(_ list: RegexList) -> String? {
            for (index, name) in frames.enumerated() {
                if let hit = list.firstMatch(in: name) { return "frame \(index) \(name) matches /\(hit.pattern)/" }
            }
            return nil
        }
        if !functions.isEmpty {
            guard let hit = frameHit(functions) else { return .none }
            evidence.append(hit)
        }
        for source in allFunctions.sources {
            guard let single = try? RegexList([source]), let hit = frameHit(single) else { return .none }
            evidence.append(hit)
        }
        if !faultKinds.isEmpty {
            guard faultKinds.contains(faultKind) else { return .none }
            evidence.append("fault kind \(faultKind)")
        }
        if !signature.isEmpty {
            guard let hit = signature.firstMatch(in: signatureText) else { return .none }
            evidence.append("signature matches /\(hit.pattern)/")
        }
        if !text.isEmpty {
            guard let hit = text.firstMatch(in: reportText) else { return .none }
            evidence.append("report text matches /\(hit.pattern)/: \"\(hit.excerpt)\"")
        }
        if requiresBot {
            guard isBot else { return .none }
            evidence.append("bot involvement")
        }
        return Outcome(matched: !evidence.isEmpty, evidence: evidence)
    }
}
