import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import LogWatch

@Suite struct LogFormatTests {
    static let shipped = Repository.path("Rules/log-formats.txt")

    @Test func shippedFormatsLoadAndEverySampleParses() throws {
        let formats = try LogFormat.parse(
            try String(contentsOfFile: Self.shipped, encoding: .utf8), file: "log-formats.txt")
        #expect(formats.map(\.name) == ["trinitycore", "azerothcore"])
        let parser = LinePrefixParser(formats: formats)
        for format in formats {
            let sample = try #require(format.sample, "\(format.name) has no sample line")
            let prefix = parser.parse(Array(sample.utf8))
            #expect(prefix.timestamp != nil, "\(format.name)'s sample has no timestamp as parsed")
            #expect(prefix.level != nil)
        }
        #expect(formats == LogFormat.builtIn, "the built-in fallback says what the shipped file says")
    }

    @Test func aUserFormatIsUsed() throws {
        let formats = try LogFormat.parse(
            "mangos | DD/MM/YYYY hh:mm:ss | ERROR WARN | () | 31/10/2025 11:14:33 ERROR (sql) broken\n",
            file: "user.txt")
        var classifier = LineClassifier(reading: LineReading(parser: LinePrefixParser(formats: formats)))
        let line = classifier.classify(RawLine(bytes: Array("31/10/2025 11:14:33 ERROR (sql) broken".utf8)))
        #expect(line.timestamp == CivilTime(year: 2025, month: 10, day: 31, hour: 11, minute: 14, second: 33))
        #expect(line.level == .error)
        #expect(line.logger == "sql")
        #expect(line.message == "broken")
        // The TrinityCore shape is not this format: in this file it continues the message above.
        let other = classifier.classify(RawLine(bytes: Array("2025-10-31_11:14:33 INFO  [t] x".utf8)))
        #expect(other.isContinuation)
        #expect(other.message == "2025-10-31_11:14:33 INFO  [t] x")
    }

    @Test func badLinesAreNamed() {
        #expect(
            throws: RuleFileError(
                file: "f.txt", line: 2, problem: "unknown level word LOUD (known: FATAL ERROR WARN INFO DEBUG TRACE)")
        ) {
            try LogFormat.parse("# c\nx | YYYY-MM-DD hh:mm:ss | LOUD | [] | s\n", file: "f.txt")
        }
        #expect(throws: RuleFileError(file: "f.txt", line: 1, problem: "layout YYYY-MM-DD has no h")) {
            try LogFormat.parse("x | YYYY-MM-DD | ERROR | [] | s\n", file: "f.txt")
        }
        #expect(
            throws: RuleFileError(
                file: "f.txt", line: 1, problem: "expected name | layout | level words | brackets | sample")
        ) {
            try LogFormat.parse("just a name\n", file: "f.txt")
        }
    }
}
