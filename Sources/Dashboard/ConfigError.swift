/// A problem with `crashwatch.toml` or a command-line path, naming the file and key at fault.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    public var key: String?
    public var problem: String

    public init(file: String? = nil, key: String? = nil, problem: String) {
        self.file = file
        self.key = key
        self.problem = problem
    }

    public var description: String {
        switch (file, key) {
        case let (file?, key?): "\(file): \(key): \(problem)"
        case let (file?, nil): "\(file): \(problem)"
        case let (nil, key?): "\(key): \(problem)"
        case (nil, nil): problem
        }
    }
}
