public import CrashwatchKit
import Foundation

/// Which part of the server a frame belongs to, from `Rules/components.txt`: lines `Component = regex`, matched against
/// normalised function names and source paths.
///
/// The component `Playerbot` marks bot involvement.
public struct ComponentRules: Sendable {
    struct Rule: Sendable {
        var component: String
        var regex: RegexList
    }

    private(set) var rules: [Rule] = []

    public init() {}

    public mutating func add(_ text: String, file: String) throws(RuleFileError) {
        let ruleFile = RuleFile(text, path: file)
        for line in try ruleFile.assignments(expected: "Component = regex") {
            do {
                rules.append(Rule(component: line.name, regex: try RegexList([line.value])))
            } catch {
                throw ruleFile.error(atLine: line.number, "not a valid regular expression: \(line.value)")
            }
        }
    }

    /// Components named by `subject` (a function name or a path), in rule order.
    func components(of subject: String) -> [String] {
        rules.filter { $0.regex.matches(subject) }.map(\.component)
    }

    public var isEmpty: Bool { rules.isEmpty }
}
