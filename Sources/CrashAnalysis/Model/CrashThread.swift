/// One thread's stack in a report.
public struct CrashThread: Sendable, Hashable, Codable {
    /// The thread's number or id as the report gives it (`16`, `LWP 17996`), if any.
    public var id: String?
    public var name: String?
    public var frames: [StackFrame]

    public init(id: String? = nil, name: String? = nil, frames: [StackFrame] = []) {
        self.id = id
        self.name = name
        self.frames = frames
    }
}
