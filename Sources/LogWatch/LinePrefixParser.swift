import CrashwatchKit

/// Reads the optional prefix `Appender::write` puts before a message, at the fixed offsets its `LogFormat` gives.
///
/// Accepted shapes (each part optional, in this order, as the appender flags 1, 2 and 4 add them):
/// - timestamp: as a format's layout says (`2015-05-03_22:58:52 ` TrinityCore, `2023-03-23 09:42:24 ` AzerothCore);
/// - level: one of the format's level words, padded with spaces, glued to `[` (one Appender.cpp revision), or
///   followed by `:` (legacy `ERROR: text`);
/// - logger: `[sql.sql] `, trusted only after a level, because a flags-0 message may itself start with `[Player: …]`.
///
/// Works on bytes with no allocation, so it can run on every line of a busy log.
public struct LinePrefixParser: Sendable {
    public let formats: [LogFormat]
    /// True when the formats are exactly TrinityCore's and AzerothCore's, which have a hand-written fast path.
    let isStandard: Bool

    public init(formats: [LogFormat] = LogFormat.builtIn) {
        precondition(!formats.isEmpty, "at least one log format is needed")
        self.formats = formats
        isStandard = formats == LogFormat.builtIn
    }

    /// The built-in TrinityCore and AzerothCore formats.
    public static let standard = LinePrefixParser()

    /// Parses with the built-in TrinityCore and AzerothCore formats.
    public static func parse(_ line: UnsafeBufferPointer<UInt8>) -> LinePrefix { StandardPrefix.parse(line) }

    public static func parse(_ bytes: [UInt8]) -> LinePrefix {
        bytes.withUnsafeBufferPointer { StandardPrefix.parse($0) }
    }

    public func parse(_ bytes: [UInt8]) -> LinePrefix {
        bytes.withUnsafeBufferPointer { parse($0) }
    }

    public func parse(_ line: UnsafeBufferPointer<UInt8>) -> LinePrefix {
        if isStandard { return StandardPrefix.parse(line) }
        var prefix = LinePrefix()
        var i = 0
        var format = formats[0]
        for candidate in formats {
            if let stamp = Self.timestamp(line, candidate.fields) {
                prefix.timestamp = stamp
                format = candidate
                i = candidate.fields.bytes.count + 1
                break
            }
        }
        if let (level, end) = Self.level(line, at: i, words: format.levels) {
            prefix.level = level
            i = end
            if i < line.count, line[i] == format.loggerOpen {
                var j = i + 1
                while j < line.count, line[j] != format.loggerClose, j - i < 128 { j += 1 }
                if j < line.count, line[j] == format.loggerClose, j > i + 1 {
                    prefix.logger = (i + 1)..<j
                    i = j + 1
                    if i < line.count, line[i] == UInt8(ascii: " ") { i += 1 }
                }
            }
        }
        prefix.messageStart = i
        return prefix
    }

    /// A timestamp laid out as `fields` says, followed by a space, at offset 0.
    static func timestamp(_ b: UnsafeBufferPointer<UInt8>, _ fields: LogFormat.Fields) -> CivilTime? {
        let layout = fields.bytes
        guard b.count > layout.count, b[layout.count] == UInt8(ascii: " ") else { return nil }
        for k in fields.literals where b[k] != layout[k] { return nil }
        for k in fields.digits where b[k] &- UInt8(ascii: "0") >= 10 { return nil }
        func value(_ range: Range<Int>) -> Int {
            var v = 0
            for k in range { v = v * 10 + Int(b[k] &- UInt8(ascii: "0")) }
            return v
        }
        let month = value(fields.month), day = value(fields.day)
        let hour = value(fields.hour), minute = value(fields.minute), second = value(fields.second)
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        return CivilTime(year: value(fields.year), month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// A level word at `start`, followed by spaces, `[`, `:` or the end; returns the level and where the rest begins.
    static func level(_ b: UnsafeBufferPointer<UInt8>, at start: Int, words: [(word: [UInt8], level: LogLevel)]) -> (
        LogLevel, Int
    )? {
        guard start < b.count else { return nil }
        let first = b[start]
        for (word, level) in words where word[0] == first && b.count - start >= word.count {
            var matches = true
            for k in 0..<word.count where b[start + k] != word[k] {
                matches = false
                break
            }
            guard matches, let end = StandardPrefix.endOfLevelWord(b, at: start + word.count) else { continue }
            return (level, end)
        }
        return nil
    }
}
