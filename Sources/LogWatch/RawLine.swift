/// A complete line as bytes, without its line terminator.
public struct RawLine: Sendable, Equatable {
    public var bytes: [UInt8]
    /// True when the line exceeded the framer's limit and what follows up to the newline was left out.
    public var isCut: Bool

    public init(bytes: [UInt8], isCut: Bool = false) {
        self.bytes = bytes
        self.isCut = isCut
    }
}
