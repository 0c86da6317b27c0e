/// A theme file that cannot be used, with the file and the key at fault.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// The dotted key (`styles.error.fg`), or `nil` when the file itself is at fault.
    public var key: String?
    public var problem: String

    public init(file: String, key: String? = nil, problem: String) {
        self.file = file
        self.key = key
        self.problem = problem
    }

    public var description: String {
        if let key { return "theme \(file): \(key): \(problem)" }
        return "theme \(file): \(problem)"
    }
}
