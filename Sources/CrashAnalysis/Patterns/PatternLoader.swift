public import CrashwatchKit
import TOMLKit

/// Reads one known pattern from its TOML text.
///
/// See `Rules/patterns/README.md` for the keys.
public enum PatternLoader {
    static let topKeys: Set<String> = [
        "id", "name", "severity", "root-cause", "suggestions", "fix-template", "upstream-fixes", "match", "example",
    ]
    static let matchKeys: Set<String> = [
        "functions", "all-functions", "fault-kinds", "signature", "text", "requires-bot",
    ]

    public static func load(_ text: String, file: String) throws(RuleFileError) -> KnownPattern {
        let table = try TOMLFile.parse(text, file: file)
        for key in table.keys where !topKeys.contains(key) {
            throw RuleFileError(
                file: file, key: key, problem: "unknown key (expected \(topKeys.sorted().joined(separator: ", ")))")
        }
        func string(_ key: String, in table: TOMLTable, required: Bool = true) throws(RuleFileError) -> String? {
            guard let value = table[key] else {
                if required { throw RuleFileError(file: file, key: key, problem: "missing") }
                return nil
            }
            guard let string = value.string else {
                throw RuleFileError(file: file, key: key, problem: "expected a string")
            }
            return string
        }
        func strings(_ key: String, in table: TOMLTable, path: String) throws(RuleFileError) -> [String] {
            guard let value = table[key] else { return [] }
            guard let array = value.array else {
                throw RuleFileError(file: file, key: path, problem: "expected a list of strings")
            }
            var out: [String] = []
            for element in array {
                guard let s = element.string else {
                    throw RuleFileError(file: file, key: path, problem: "expected a list of strings")
                }
                out.append(s)
            }
            return out
        }
        func regexes(_ key: String, in table: TOMLTable) throws(RuleFileError) -> RegexList {
            let sources = try strings(key, in: table, path: "match.\(key)")
            do { return try RegexList(sources) } catch {
                throw RuleFileError(
                    file: file, key: "match.\(key)", problem: "not a valid regular expression: \(error.pattern)")
            }
        }
        let id = try string("id", in: table)!
        let name = try string("name", in: table)!
        let severityText = try string("severity", in: table)!
        guard let severity = Severity(rawValue: severityText) else {
            throw RuleFileError(
                file: file, key: "severity", problem: "expected low, medium, high or critical, got \(severityText)")
        }
        let rootCause = try string("root-cause", in: table)!
        let suggestions = try strings("suggestions", in: table, path: "suggestions")
        // One template, or several tried in turn (a cause fix, then a symptom-only guard).
        let fixTemplates =
            table["fix-template"]?.array != nil
            ? try strings("fix-template", in: table, path: "fix-template")
            : try string("fix-template", in: table, required: false).map { [$0] } ?? []
        let upstreamFixes = try strings("upstream-fixes", in: table, path: "upstream-fixes")
        for hash in upstreamFixes where hash.count != 40 || !hash.allSatisfy(\.isHexDigit) {
            throw RuleFileError(
                file: file, key: "upstream-fixes", problem: "expected full 40-hex commit hashes, got \(hash)")
        }
        var matcher = PatternMatcher()
        guard let match = table["match"]?.table else {
            throw RuleFileError(file: file, key: "match", problem: "missing table [match]")
        }
        for key in match.keys where !matchKeys.contains(key) {
            throw RuleFileError(
                file: file, key: "match.\(key)",
                problem: "unknown matcher (expected \(matchKeys.sorted().joined(separator: ", ")))")
        }
        matcher.functions = try regexes("functions", in: match)
        matcher.allFunctions = try regexes("all-functions", in: match)
        matcher.faultKinds = try strings("fault-kinds", in: match, path: "match.fault-kinds")
        matcher.signature = try regexes("signature", in: match)
        matcher.text = try regexes("text", in: match)
        if let flag = match["requires-bot"] {
            guard let bool = flag.bool else {
                throw RuleFileError(file: file, key: "match.requires-bot", problem: "expected true or false")
            }
            matcher.requiresBot = bool
        }
        if matcher.functions.isEmpty, matcher.allFunctions.isEmpty, matcher.signature.isEmpty, matcher.text.isEmpty {
            throw RuleFileError(
                file: file, key: "match", problem: "needs at least one of functions, all-functions, signature, text")
        }
        var example: String?
        if let exampleTable = table["example"]?.table {
            example = try string("report", in: exampleTable)
        }
        var pattern = KnownPattern(
            id: id, name: name, severity: severity, rootCause: rootCause, suggestions: suggestions,
            fixTemplates: fixTemplates.filter { !$0.isEmpty }, matcher: matcher, example: example,
            file: file)
        pattern.upstreamFixes = upstreamFixes
        return pattern
    }
}
