import CrashwatchKit

/// The TrinityCore and AzerothCore prefixes (the built-in formats, and what `Rules/log-formats.txt` ships), parsed with
/// fixed offsets and no lookups: the ingest hot path.
///
/// Any other format goes through `LogFormat`s.
enum StandardPrefix {
    static func parse(_ line: UnsafeBufferPointer<UInt8>) -> LinePrefix {
        var prefix = LinePrefix()
        var i = 0
        if let stamp = timestamp(line) {
            prefix.timestamp = stamp
            i = 20
        }
        if let (level, end) = level(line, at: i) {
            prefix.level = level
            i = end
            if i < line.count, line[i] == UInt8(ascii: "[") {
                var j = i + 1
                while j < line.count, line[j] != UInt8(ascii: "]"), j - i < 128 { j += 1 }
                if j < line.count, line[j] == UInt8(ascii: "]"), j > i + 1 {
                    prefix.logger = (i + 1)..<j
                    i = j + 1
                    if i < line.count, line[i] == UInt8(ascii: " ") { i += 1 }
                }
            }
        }
        prefix.messageStart = i
        return prefix
    }

    /// `YYYY-MM-DD_HH:MM:SS ` or `YYYY-MM-DD HH:MM:SS ` at offset 0.
    static func timestamp(_ b: UnsafeBufferPointer<UInt8>) -> CivilTime? {
        guard b.count >= 20 else { return nil }
        let dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":"), space = UInt8(ascii: " ")
        guard b[4] == dash, b[7] == dash, b[10] == UInt8(ascii: "_") || b[10] == space, b[13] == colon,
            b[16] == colon, b[19] == space
        else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int? {
            var value = 0
            for k in start..<(start + count) {
                let d = b[k] &- UInt8(ascii: "0")
                guard d < 10 else { return nil }
                value = value * 10 + Int(d)
            }
            return value
        }
        guard let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2), let hour = digits(11, 2),
            let minute = digits(14, 2), let second = digits(17, 2), (1...12).contains(month), (1...31).contains(day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        return CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// A level name at `start`, followed by spaces, `[`, or `:`; returns the level and where the rest begins.
    static func level(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> (LogLevel, Int)? {
        guard b.count - start >= 4 else { return nil }
        let level: LogLevel
        let length: Int
        switch (b[start], b[start + 1], b[start + 2], b[start + 3]) {
        case (0x45, 0x52, 0x52, 0x4F): (level, length) = (.error, 5)  // ERRO
        case (0x57, 0x41, 0x52, 0x4E): (level, length) = (.warn, 4)  // WARN
        case (0x49, 0x4E, 0x46, 0x4F): (level, length) = (.info, 4)  // INFO
        case (0x44, 0x45, 0x42, 0x55): (level, length) = (.debug, 5)  // DEBU
        case (0x54, 0x52, 0x41, 0x43): (level, length) = (.trace, 5)  // TRAC
        case (0x46, 0x41, 0x54, 0x41): (level, length) = (.fatal, 5)  // FATA
        default: return nil
        }
        if length == 5 {
            guard b.count - start >= 5 else { return nil }
            let last: UInt8 =
                switch level {
                case .error: UInt8(ascii: "R")
                case .debug: UInt8(ascii: "G")
                case .trace: UInt8(ascii: "E")
                default: UInt8(ascii: "L")
                }
            guard b[start + 4] == last else { return nil }
        }
        guard let end = endOfLevelWord(b, at: start + length) else { return nil }
        return (level, end)
    }

    /// Where the text after a level word ending at `i` begins: after its padding spaces, at a glued `[`, or after a
    /// `:`; nil when the word runs on (`ERRORS`, `INFORMATION`).
    static func endOfLevelWord(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var i = start
        if i == b.count { return i }
        switch b[i] {
        case UInt8(ascii: " "):
            while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
        case UInt8(ascii: "["):
            break
        case UInt8(ascii: ":"):
            i += 1
            while i < b.count, b[i] == UInt8(ascii: " ") { i += 1 }
        default:
            return nil
        }
        return i
    }
}
