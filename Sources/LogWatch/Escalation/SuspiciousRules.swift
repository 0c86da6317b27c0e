import Foundation

/// Wording that deserves a flag on an error or warning (null pointers, database trouble), from
/// `Rules/suspicious.txt`: one `name = regex` per line. Bursts of one error are flagged separately by `TriageModel`.
public struct SuspiciousRules: Sendable {
    struct Rule: Sendable {
        var name: String
        // NSRegularExpression is immutable and documented thread-safe, but not marked Sendable in corelibs-foundation.
        nonisolated(unsafe) var regex: NSRegularExpression
    }

    private var rules: [Rule] = []

    public init() {}

    public mutating func add(_ text: String, file: String) throws(MaskingRuleError) {
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw MaskingRuleError(file: file, line: number + 1, problem: "expected `name = regex`")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            let pattern = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            do {
                rules.append(Rule(name: name, regex: try NSRegularExpression(pattern: pattern)))
            } catch {
                throw MaskingRuleError(file: file, line: number + 1, problem: "not a valid regular expression: \(pattern)")
            }
        }
    }

    /// Names of the rules `text` matches.
    public func flags(for text: String) -> [String] {
        rules.filter { $0.regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }.map(\.name)
    }

    public var count: Int { rules.count }
}
