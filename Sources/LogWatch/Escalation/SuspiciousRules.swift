public import CrashwatchKit
import Foundation

/// Wording that deserves a flag on an error or warning (null pointers, database trouble), from `Rules/suspicious.txt`:
/// one `name = regex` per line.
///
/// Bursts of one error are flagged separately by `TriageModel`.
public struct SuspiciousRules: Sendable {
    struct Rule: Sendable {
        var name: String
        // NSRegularExpression is immutable and documented thread-safe, but not marked Sendable in corelibs-foundation.
        nonisolated(unsafe) var regex: NSRegularExpression
    }

    private var rules: [Rule] = []

    public init() {}

    public mutating func add(_ text: String, file: String) throws(RuleFileError) {
        let ruleFile = RuleFile(text, path: file)
        for line in try ruleFile.assignments(expected: "name = regex") {
            do {
                rules.append(Rule(name: line.name, regex: try NSRegularExpression(pattern: line.value)))
            } catch {
                throw ruleFile.error(atLine: line.number, "not a valid regular expression: \(line.value)")
            }
        }
    }

    /// Names of the rules `text` matches.
    public func flags(for text: String) -> [String] {
        rules.filter { $0.regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil }.map(\.name)
    }

    public var count: Int { rules.count }
}
