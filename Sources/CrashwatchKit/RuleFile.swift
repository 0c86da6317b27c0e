import Foundation

/// The line-based rule files under `Rules/` (`#` comments, blank lines ignored), read one way everywhere.
public struct RuleFile: Sendable {
    /// A line that says something, with its 1-based number in the file.
    public struct Line: Sendable {
        public var number: Int
        /// The line without surrounding blanks.
        public var text: String
    }

    /// A `name = value` line.
    public struct Assignment: Sendable {
        public var number: Int
        public var name: String
        public var value: String
    }

    public var path: String
    public var lines: [Line]

    public init(_ text: String, path: String) {
        self.path = path
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { index, raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            return line.isEmpty || line.hasPrefix("#") ? nil : Line(number: index + 1, text: line)
        }
    }

    /// Every line as `name = value`; a line without `=` or with an empty side is an error saying `expected`.
    public func assignments(expected: String) throws(RuleFileError) -> [Assignment] {
        try lines.map { line throws(RuleFileError) in
            guard let equals = line.text.firstIndex(of: "=") else { throw error(at: line, "expected `\(expected)`") }
            let name = line.text[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line.text[line.text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !value.isEmpty else { throw error(at: line, "expected `\(expected)`") }
            return Assignment(number: line.number, name: name, value: value)
        }
    }

    /// An error at `line` of this file.
    public func error(at line: Line, _ problem: String) -> RuleFileError {
        RuleFileError(file: path, line: line.number, problem: problem)
    }

    /// An error at line `number` of this file.
    public func error(atLine number: Int, _ problem: String) -> RuleFileError {
        RuleFileError(file: path, line: number, problem: problem)
    }
}
