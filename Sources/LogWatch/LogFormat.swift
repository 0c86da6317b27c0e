public import CrashwatchKit

/// One way a log line's prefix can be written, read from `Rules/log-formats.txt`.
public struct LogFormat: Sendable, Equatable {
    public var name: String
    /// The timestamp layout, e.g.
    ///
    /// `YYYY-MM-DD_hh:mm:ss`.
    public var layout: String
    /// Accepted level words, each mapped to its level (`WARN` → `.warn`).
    public var levels: [(word: [UInt8], level: LogLevel)]
    public var loggerOpen: UInt8
    public var loggerClose: UInt8
    public var sample: String?
    /// Byte positions of the layout's fields, compiled for the hot path.
    let fields: Fields

    struct Fields: Sendable, Equatable {
        var bytes: [UInt8]
        /// Positions of the separators, checked first: most lines that are not of this format fail there.
        var literals: [Int] = []
        var digits: [Int] = []
        var year: Range<Int>, month: Range<Int>, day: Range<Int>, hour: Range<Int>, minute: Range<Int>,
            second: Range<Int>
    }

    public static func == (lhs: LogFormat, rhs: LogFormat) -> Bool {
        lhs.name == rhs.name && lhs.layout == rhs.layout && lhs.levels.map(\.word) == rhs.levels.map(\.word)
            && lhs.loggerOpen == rhs.loggerOpen && lhs.loggerClose == rhs.loggerClose
    }

    /// - Throws: `RuleFileError`-style `RuleFileError` naming what is wrong.
    public init(name: String, layout: String, levelWords: [String], brackets: String, sample: String?)
        throws(RuleFileError)
    {
        self.name = name
        self.layout = layout
        self.sample = sample
        let bytes = Array(layout.utf8)
        func range(of letter: UInt8) throws(RuleFileError) -> Range<Int> {
            guard let first = bytes.firstIndex(of: letter) else {
                throw RuleFileError(problem: "layout \(layout) has no \(Character(Unicode.Scalar(letter)))")
            }
            var end = first
            while end < bytes.count, bytes[end] == letter { end += 1 }
            return first..<end
        }
        let parsed = Fields(
            bytes: bytes, year: try range(of: UInt8(ascii: "Y")), month: try range(of: UInt8(ascii: "M")),
            day: try range(of: UInt8(ascii: "D")), hour: try range(of: UInt8(ascii: "h")),
            minute: try range(of: UInt8(ascii: "m")), second: try range(of: UInt8(ascii: "s")))
        let digitLetters = Array("YMDhms".utf8)
        var compiled = parsed
        for (index, byte) in bytes.enumerated() {
            if digitLetters.contains(byte) { compiled.digits.append(index) } else { compiled.literals.append(index) }
        }
        fields = compiled
        var levels: [(word: [UInt8], level: LogLevel)] = []
        for word in levelWords {
            guard let level = LogLevel.allCases.first(where: { $0.description == word.uppercased() }) else {
                throw RuleFileError(problem: "unknown level word \(word) (known: FATAL ERROR WARN INFO DEBUG TRACE)")
            }
            levels.append((Array(word.utf8), level))
        }
        self.levels = levels
        let pair = Array(brackets.utf8)
        guard pair.count == 2 else { throw RuleFileError(problem: "logger brackets must be two characters, like []") }
        loggerOpen = pair[0]
        loggerClose = pair[1]
    }

    /// TrinityCore's and AzerothCore's prefixes: used when no format file can be read.
    public static let builtIn: [LogFormat] = [
        try! LogFormat(
            name: "trinitycore", layout: "YYYY-MM-DD_hh:mm:ss",
            levelWords: ["FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"],
            brackets: "[]", sample: nil),
        try! LogFormat(
            name: "azerothcore", layout: "YYYY-MM-DD hh:mm:ss",
            levelWords: ["FATAL", "ERROR", "WARN", "INFO", "DEBUG", "TRACE"],
            brackets: "[]", sample: nil),
    ]

    /// Formats from the text of a format file.
    public static func parse(_ text: String, file: String) throws(RuleFileError) -> [LogFormat] {
        var formats: [LogFormat] = []
        let ruleFile = RuleFile(text, path: file)
        for line in ruleFile.lines {
            let parts = line.text.split(separator: "|", omittingEmptySubsequences: false).map {
                String($0.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
            }
            guard parts.count >= 4 else {
                throw ruleFile.error(at: line, "expected name | layout | level words | brackets | sample")
            }
            do {
                formats.append(
                    try LogFormat(
                        name: parts[0], layout: parts[1], levelWords: parts[2].split(separator: " ").map(String.init),
                        brackets: parts[3], sample: parts.count > 4 ? parts[4...].joined(separator: "|") : nil))
            } catch {
                throw ruleFile.error(at: line, error.problem)
            }
        }
        return formats
    }
}
