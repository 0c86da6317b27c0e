public import CrashwatchKit
import Foundation

/// The four rule lists of the signature algorithm (Socorro's method), read from plain-text files: one regular
/// expression per line, `#` comments, and `module:` lines that match the module instead of the function.
public struct SignatureRules: Sendable {
    public enum List: String, Sendable, CaseIterable {
        case sentinel, irrelevant, prefix
        case keepLineNumber = "keep-line-number"
        case abortMachinery = "abort-machinery"

        /// The file name of the list, such as `sentinel.txt`.
        public var fileName: String { rawValue + ".txt" }
    }

    /// One rule: a regex on the function name or on the module.
    struct Rule: @unchecked Sendable {
        // NSRegularExpression is immutable and thread-safe but not marked Sendable in corelibs-foundation.
        let regex: NSRegularExpression
        let matchesModule: Bool
        let source: String

        func matches(name: String, module: String?) -> Bool {
            let subject = matchesModule ? (module ?? "") : name
            guard !subject.isEmpty else { return false }
            return regex.firstMatch(in: subject, range: NSRange(subject.startIndex..., in: subject)) != nil
        }
    }

    private(set) var rules: [List: [Rule]] = [:]

    public init() {}

    /// Adds the rules in `text` to `list`; `file` names the source in error messages.
    public mutating func add(_ text: String, to list: List, file: String) throws(RuleFileError) {
        let ruleFile = RuleFile(text, path: file)
        for ruleLine in ruleFile.lines {
            let line = ruleLine.text
            let isModule = line.hasPrefix("module:")
            let pattern = isModule ? String(line.dropFirst("module:".count)) : line
            do {
                let regex = try NSRegularExpression(pattern: pattern)
                rules[list, default: []].append(Rule(regex: regex, matchesModule: isModule, source: line))
            } catch {
                throw ruleFile.error(at: ruleLine, "not a valid regular expression: \(pattern)")
            }
        }
    }

    /// Rules from texts keyed by list, such as the shipped files followed by the user's.
    public static func load(_ files: [(list: List, file: String, text: String)]) throws(RuleFileError) -> SignatureRules
    {
        var rules = SignatureRules()
        for entry in files { try rules.add(entry.text, to: entry.list, file: entry.file) }
        return rules
    }

    func matches(_ list: List, name: String, module: String?) -> Bool {
        rules[list]?.contains { $0.matches(name: name, module: module) } ?? false
    }

    public func count(_ list: List) -> Int { rules[list]?.count ?? 0 }
}
