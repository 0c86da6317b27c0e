/// A data file that cannot be used — `crashwatch.toml`, a rule list, a pattern, a log format, a theme — or a
/// command-line value, naming the file, line and key at fault so that the user can go straight to it.
public struct RuleFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, or `nil` for a command-line value.
    public var file: String?
    public var line: Int?
    /// The dotted key (`styles.error.fg`) or option name, when one is at fault.
    public var key: String?
    public var problem: String

    public init(file: String? = nil, line: Int? = nil, key: String? = nil, problem: String) {
        self.file = file
        self.line = line
        self.key = key
        self.problem = problem
    }

    /// `file:line: key: problem`, with the parts that are known.
    public var description: String {
        var location = file ?? ""
        if let line { location += ":\(line)" }
        if let key { location += location.isEmpty ? key : ": \(key)" }
        return location.isEmpty ? problem : "\(location): \(problem)"
    }
}
