import Foundation

/// The four rule lists of the signature algorithm (Socorro's method), read from plain-text files: one regular
/// expression per line, `#` comments, and `module:` lines that match the module instead of the function.
public struct SignatureRules: Sendable {
    public enum List: String, Sendable, CaseIterable {
        case sentinel, irrelevant, prefix
        case keepLineNumber = "keep-line-number"
        case abortMachinery = "abort-machinery"

        /// The file name of the list: `sentinel.txt`, …
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
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let isModule = line.hasPrefix("module:")
            let pattern = isModule ? String(line.dropFirst("module:".count)) : line
            do {
                let regex = try NSRegularExpression(pattern: pattern)
                rules[list, default: []].append(Rule(regex: regex, matchesModule: isModule, source: line))
            } catch {
                throw RuleFileError(file: file, line: number + 1, problem: "not a valid regular expression: \(pattern)")
            }
        }
    }

    /// Rules from texts keyed by list, e.g. the shipped files followed by the user's.
    public static func load(_ files: [(list: List, file: String, text: String)]) throws(RuleFileError) -> SignatureRules {
        var rules = SignatureRules()
        for entry in files { try rules.add(entry.text, to: entry.list, file: entry.file) }
        return rules
    }

    func matches(_ list: List, name: String, module: String?) -> Bool {
        rules[list]?.contains { $0.matches(name: name, module: module) } ?? false
    }

    public func count(_ list: List) -> Int { rules[list]?.count ?? 0 }
}

/// A rule or pattern file that cannot be used, with the file and line (or key) at fault.
public struct RuleFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var key: String?
    public var problem: String

    public init(file: String, line: Int? = nil, key: String? = nil, problem: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let key { location += ": \(key)" }
        return "\(location): \(problem)"
    }
}
