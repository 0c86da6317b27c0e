import CrashwatchKit
import Foundation
import Testing

@testable import LogWatch

@Suite struct LinePrefixParserTests {
    private func classify(_ text: String) -> LogLine {
        var classifier = LineClassifier(reading: LineReading(infersMissingLevels: false))
        return classifier.classify(RawLine(bytes: Array(text.utf8)))
    }

    @Test func trinityCoreFullPrefix() {
        let line = classify("2015-05-03_22:58:52 WARN  [warden] [Player: Thrall] failed Warden check 209. Action: Ban")
        #expect(line.timestamp == CivilTime(year: 2015, month: 5, day: 3, hour: 22, minute: 58, second: 52))
        #expect(line.level == .warn)
        #expect(line.logger == "warden")
        #expect(line.message == "[Player: Thrall] failed Warden check 209. Action: Ban")
        #expect(!line.levelIsInferred)
    }

    @Test func azerothCoreTimestampUsesASpace() {
        let line = classify("2023-03-23 09:42:25 ERROR [playerbots] Error logging in bot")
        #expect(line.timestamp?.description == "2023-03-23 09:42:25")
        #expect(line.level == .error)
        #expect(line.logger == "playerbots")
        #expect(line.message == "Error logging in bot")
    }

    @Test(arguments: [
        ("FATAL [a] x", LogLevel.fatal), ("ERROR [a] x", .error), ("WARN  [a] x", .warn), ("INFO  [a] x", .info),
        ("DEBUG [a] x", .debug), ("TRACE [a] x", .trace), ("ERROR[a] x", .error), ("INFO [a] x", .info),
    ])
    func everyLevelAfterATimestamp(rest: String, level: LogLevel) {
        let line = classify("2025-10-31_01:15:35 " + rest)
        #expect(line.level == level)
        #expect(line.logger == "a")
        #expect(line.message == "x")
    }

    @Test func timestampOnlyLineKeepsTheWholeMessage() {
        let line = classify("2023-03-23 09:42:24 Initializing AI Playerbots by ike3")
        #expect(line.timestamp != nil)
        #expect(line.level == nil)
        #expect(line.logger == nil)
        #expect(line.message == "Initializing AI Playerbots by ike3")
    }

    @Test func bracketWithoutALevelIsNotALogger() {
        // With appender flags 0 a message may itself start with a bracket.
        let line = classify("[Player: Thrall (GUID: 42)] failed Warden check 209")
        #expect(line.logger == nil)
        #expect(line.level == nil)
        #expect(line.message == "[Player: Thrall (GUID: 42)] failed Warden check 209")
    }

    @Test func wordsThatStartLikeALevelAreNotOne() {
        #expect(classify("INFORMATION only").level == nil)
        #expect(classify("ERRORS happen").level == nil)
        #expect(classify("2025-10-31_01:15:35 WARNING: legacy").level == nil)
    }

    @Test func legacyColonForm() {
        let line = classify("2016-01-02 03:04:05 ERROR: WORLD: World initialized in 1 minutes 2 seconds")
        #expect(line.level == .error)
        #expect(line.message == "WORLD: World initialized in 1 minutes 2 seconds")
    }

    @Test func malformedTimestampsAreText() {
        #expect(classify("2015-13-03_22:58:52 WARN  x").timestamp == nil)
        #expect(classify("2015-05-03T22:58:52 WARN  x").timestamp == nil)
        #expect(classify("2015-05-03_22:58").timestamp == nil)
        #expect(classify("").message == "")
    }

    @Test func unprefixedLinesGetAnInferredLevel() {
        var classifier = LineClassifier()
        let error = classifier.classify(
            RawLine(bytes: Array("Creature (GUID: 5521) does not exist but has a record".utf8)))
        #expect(error.level == .error)
        #expect(error.levelIsInferred)
        let warn = classifier.classify(
            RawLine(bytes: Array("SoloCombatStrategy: Bot Aldor in combat but no victim".utf8)))
        #expect(warn.level == .warn)
        let plain = classifier.classify(RawLine(bytes: Array(">> Loaded 21394 creature templates in 412 ms".utf8)))
        #expect(plain.level == nil)
        #expect(plain.number == 3)
    }

    @Test func fixtureFileParsesLineByLine() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/tc-prefixed", withExtension: "log"))
        var framer = LineFramer()
        var classifier = LineClassifier()
        let lines = framer.feed(Array(try Data(contentsOf: url))).map { classifier.classify($0) }
        #expect(lines.map(\.level) == [.warn, .error, .info, .debug, .fatal, .error, .trace])
        #expect(
            lines.map(\.logger) == [
                "warden", "sql.sql", "server.loading", "maps", "server.worldserver", "sql.sql", "network",
            ])
    }

    @Test func timestampsOrderAndConvert() {
        let a = CivilTime(year: 1970, month: 1, day: 2, hour: 0, minute: 0, second: 1)
        #expect(a.secondsSinceEpoch == 86_401)
        let b = CivilTime(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59)
        #expect(b.secondsSinceEpoch == 1_709_251_199)
        #expect(a < b)
    }
}

@Suite struct ContinuationLineTests {
    private func classify(_ texts: [String]) -> [LogLine] {
        var classifier = LineClassifier()
        return texts.map { classifier.classify(RawLine(bytes: Array($0.utf8))) }
    }

    @Test func unprefixedLinesAfterAPrefixedOneContinueIt() {
        let lines = classify([
            "2025-10-31_11:14:33 ERROR [server.worldserver] Player dump follows:",
            "  Name: Thrall, Level: 80",
            "  Map: 571 (Northrend)",
            "2025-10-31_11:14:34 INFO  [maps] next message",
        ])
        #expect(lines.map(\.isContinuation) == [false, true, true, false])
        #expect(lines[1].level == .error)
        #expect(lines[2].logger == "server.worldserver")
        #expect(lines[2].timestamp == lines[0].timestamp)
        var buffer = LogBuffer()
        buffer.append(contentsOf: lines)
        #expect(buffer.errorCount == 1, "a continued error counts once")
    }

    @Test func aFileWithoutPrefixesHasNoContinuations() {
        let lines = classify([
            "Loading Creature templates...", ">> Loaded 21394 creature templates in 412 ms",
            "Creature (GUID: 1) does not exist",
        ])
        #expect(lines.allSatisfy { !$0.isContinuation })
        #expect(lines[2].level == .error)
    }

    @Test func timestampOnlyFilesContinueToo() {
        let lines = classify(["2023-03-23 09:42:24 Equipment cache for bots:", "    level 1: 12 items"])
        #expect(lines[1].isContinuation)
    }
}
