/// What an ASSERT, ABORT or FATAL message said.
public struct AssertionInfo: Sendable, Hashable, Codable {
    /// `ASSERTION FAILED`, `ABORTED`, `FATAL ERROR`, `ERROR`.
    public var kind: String
    public var file: String?
    public var line: Int?
    public var function: String?
    public var condition: String?
    public var message: String?
    public var debugInfo: String?

    public init(
        kind: String, file: String? = nil, line: Int? = nil, function: String? = nil, condition: String? = nil,
        message: String? = nil, debugInfo: String? = nil
    ) {
        self.kind = kind
        self.file = file
        self.line = line
        self.function = function
        self.condition = condition
        self.message = message
        self.debugInfo = debugInfo
    }
}
