public import CrashwatchKit

/// What the prefix of a TrinityCore or AzerothCore log line says, as byte offsets into the line.
public struct LinePrefix: Sendable, Equatable {
    public var timestamp: CivilTime?
    public var level: LogLevel?
    /// Byte range of the logger name, without its brackets.
    public var logger: Range<Int>?
    /// Byte offset where the message starts.
    public var messageStart: Int

    public init(
        timestamp: CivilTime? = nil, level: LogLevel? = nil, logger: Range<Int>? = nil, messageStart: Int = 0
    ) {
        self.timestamp = timestamp
        self.level = level
        self.logger = logger
        self.messageStart = messageStart
    }
}
