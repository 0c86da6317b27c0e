import Foundation

/// Which part of the server a frame belongs to, from `Rules/components.txt`: lines `Component = regex`, matched
/// against normalised function names and source paths. The component `Playerbot` marks bot involvement.
public struct ComponentRules: Sendable {
    struct Rule: Sendable {
        var component: String
        var regex: RegexList
    }

    private(set) var rules: [Rule] = []

    public init() {}

    public mutating func add(_ text: String, file: String) throws(RuleFileError) {
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw RuleFileError(file: file, line: number + 1, problem: "expected `Component = regex`")
            }
            let component = line[..<equals].trimmingCharacters(in: .whitespaces)
            let pattern = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !component.isEmpty, !pattern.isEmpty else {
                throw RuleFileError(file: file, line: number + 1, problem: "expected `Component = regex`")
            }
            do {
                rules.append(Rule(component: component, regex: try RegexList([pattern])))
            } catch {
                throw RuleFileError(file: file, line: number + 1, problem: "not a valid regular expression: \(pattern)")
            }
        }
    }

    /// Components named by `subject` (a function name or a path), in rule order.
    func components(of subject: String) -> [String] {
        rules.filter { $0.regex.matches(subject) }.map(\.component)
    }

    public var isEmpty: Bool { rules.isEmpty }
}
