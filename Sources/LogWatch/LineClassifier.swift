import CrashwatchKit

/// Builds display-ready `LogLine`s from raw lines: prefix parsed, text sanitised, level inferred where missing (by the
/// level rules' message shapes, then by wording).
public struct LineClassifier: Sendable {
    public let reading: LineReading
    public var parser: LinePrefixParser { reading.parser }
    private var nextNumber: Int
    /// The last line that had a prefix, whose level, time and logger continuation lines carry.
    private var lastPrefixed: (level: LogLevel?, timestamp: CivilTime?, logger: String?)?

    public init(reading: LineReading = .standard, firstNumber: Int = 1) {
        self.reading = reading
        self.nextNumber = firstNumber
    }

    public mutating func classify(_ raw: RawLine) -> LogLine {
        let prefix = parser.parse(raw.bytes)
        let number = nextNumber
        nextNumber += 1
        var text = LineSanitizer.sanitize(raw.bytes)
        if raw.isCut { text += " [… line cut at \(raw.bytes.count / 1024) KiB]" }
        // The prefix is ASCII, so its byte offsets are the same in the sanitised text.
        let utf8 = text.utf8
        let messageIndex = utf8.index(utf8.startIndex, offsetBy: min(prefix.messageStart, utf8.count))
        let message = text[messageIndex...]
        var logger: String?
        if let range = prefix.logger {
            logger = String(decoding: raw.bytes[range], as: UTF8.self)
        }
        if prefix.timestamp == nil, prefix.level == nil, let previous = lastPrefixed {
            // Once a file has shown prefixes, an unprefixed line continues the message above it.
            var line = LogLine(
                number: number, text: text, level: previous.level, timestamp: previous.timestamp,
                logger: previous.logger,
                message: message, isCut: raw.isCut)
            line.isContinuation = true
            return line
        }
        var level = prefix.level
        var inferred = false
        if level == nil, reading.infersMissingLevels,
            let guess = reading.levels.match(message)?.level ?? LevelInference.infer(message)
        {
            level = guess
            inferred = true
        }
        if prefix.timestamp != nil || prefix.level != nil { lastPrefixed = (level, prefix.timestamp, logger) }
        return LogLine(
            number: number, text: text, level: level, levelIsInferred: inferred, timestamp: prefix.timestamp,
            logger: logger, message: message, isCut: raw.isCut)
    }
}
