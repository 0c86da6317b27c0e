public import CrashwatchKit
import Foundation

/// Which variable parts of a message are masked to make its template, read from `Rules/masking.txt`.
///
/// One rule per line: `kind [arguments] | example => expected`. Kinds: `number`, `hex`, `guid`, `ip`, `quoted`
/// (masked in one fast pass over the bytes), `word-after W1 W2 …` (the word after one of these is a name), and
/// `regex PATTERN -> REPLACEMENT` (applied after the pass; slower, for users' special cases). The example after `|`
/// is checked by the tests: masking it must give the expected text.
public struct MaskingRules: Sendable {
    public struct Rule: Sendable {
        public var kind: String
        public var arguments: [String]
        public var example: String?
        public var expected: String?
        public var file: String
        public var line: Int
    }

    public private(set) var rules: [Rule] = []
    var masksNumbers = false
    var masksHex = false
    var masksGUIDs = false
    var masksIPs = false
    var masksQuoted = false
    var nameContexts: Set<String> = []
    // NSRegularExpression is immutable and documented thread-safe, but not marked Sendable in corelibs-foundation.
    nonisolated(unsafe) var regexes: [(NSRegularExpression, String)] = []

    public init() {}

    /// Numbers and hex masked: the templates used when no masking rules were loaded.
    public static var numbersAndHex: MaskingRules {
        var rules = MaskingRules()
        rules.masksNumbers = true
        rules.masksHex = true
        return rules
    }

    public mutating func add(_ text: String, file: String) throws(RuleFileError) {
        let ruleFile = RuleFile(text, path: file)
        for ruleLine in ruleFile.lines {
            let line = ruleLine.text
            let number = ruleLine.number
            var definition = line
            var example: String?
            var expected: String?
            if let bar = line.range(of: " | ") {
                definition = String(line[..<bar.lowerBound])
                let sample = line[bar.upperBound...]
                if let arrow = sample.range(of: " => ") {
                    example = String(sample[..<arrow.lowerBound])
                    expected = String(sample[arrow.upperBound...])
                }
            }
            let words = definition.split(separator: " ").map(String.init)
            guard let kind = words.first else { continue }
            let rule = Rule(
                kind: kind, arguments: Array(words.dropFirst()), example: example, expected: expected, file: file,
                line: number)
            switch kind {
            case "number": masksNumbers = true
            case "hex": masksHex = true
            case "guid": masksGUIDs = true
            case "ip": masksIPs = true
            case "quoted": masksQuoted = true
            case "word-after":
                guard !rule.arguments.isEmpty else {
                    throw ruleFile.error(atLine: number, "word-after needs at least one word")
                }
                nameContexts.formUnion(rule.arguments)
            case "regex":
                let body = definition.dropFirst("regex ".count)
                guard let arrow = body.range(of: " -> ") else {
                    throw ruleFile.error(atLine: number, "expected `regex PATTERN -> REPLACEMENT`")
                }
                let pattern = String(body[..<arrow.lowerBound])
                do {
                    regexes.append((try NSRegularExpression(pattern: pattern), String(body[arrow.upperBound...])))
                } catch {
                    throw ruleFile.error(atLine: number, "not a valid regular expression: \(pattern)")
                }
            default:
                throw ruleFile.error(
                    atLine: number,
                    "unknown kind \(kind) (expected number, hex, guid, ip, quoted, word-after, regex)")
            }
            rules.append(rule)
        }
    }
}
