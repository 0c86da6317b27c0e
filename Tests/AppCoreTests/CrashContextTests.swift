import AppCore
import CrashAnalysis
import CrashwatchKit
import Foundation
import LogWatch
import TestSupport
import Testing

/// "Log lines before the crash" for logs without timestamps: a report analysed later gets the lines of the run it
/// ended (runs split at the start-up banner), or a sentence saying why there are none.
@Suite struct CrashContextTests {
    let scratch = TemporaryDirectory("cw-context")
    static let banner = "TrinityCore rev. 542568462511 2023-04-06 04:20:06 +0200 (3.3.5 branch) (Unix, Release, Static)"

    private func writeLog(_ lines: [String], modified: String) throws -> LogSourceSpec {
        let path = "\(scratch.path)/Server.log"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let date = try #require(Self.localDate(modified))
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
        return LogSourceSpec(title: "Server.log", path: path)
    }

    private static func localDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.date(from: text)
    }

    private static let crashTime = CivilTime(year: 2025, month: 10, day: 31, hour: 11, minute: 14, second: 33)

    private func analyze(_ source: LogSourceSpec) throws -> LogCorrelation {
        let evidence = LogEvidenceReader.read([source])
        let analyzer = CrashAnalyzer(rules: SignatureRules(), patterns: [], components: ComponentRules())
        let result = analyzer.analyze(
            text: "Segmentation fault", crashTime: Self.crashTime.secondsSinceEpoch, logLines: evidence.lines,
            untimedLogs: evidence.untimed)
        return try #require(result.correlation)
    }

    @Test func aLogLastWrittenAtTheCrashGivesTheLastLinesOfItsLastRun() throws {
        let source = try writeLog(
            [
                Self.banner, ">> Loaded 12 things", Self.banner, "Map 571 loaded",
                "Spell::EffectTriggerSpell spell 7405 tried to trigger unknown spell 58568",
            ],
            modified: "2025-10-31 11:14:35")
        let correlation = try analyze(source)
        let run = try #require(correlation.placedRuns?.first)
        #expect(
            run.lines.map(\.text) == [
                Self.banner, "Map 571 loaded",
                "Spell::EffectTriggerSpell spell 7405 tried to trigger unknown spell 58568",
            ])
        #expect(run.lines.last?.level == .error)
        #expect(run.how.contains("run that was writing it when the server crashed"))
        #expect(!correlation.isEmpty)
    }

    @Test func aLogWrittenAgainAfterTheCrashGivesTheRunBeforeTheLastStart() throws {
        let source = try writeLog(
            [Self.banner, "crashed run line", Self.banner, "new run line"], modified: "2025-10-31 11:30:00")
        let run = try #require(try analyze(source).placedRuns?.first)
        #expect(run.lines.map(\.text) == [Self.banner, "crashed run line"])
        #expect(run.how.contains("run before the last start-up"))
    }

    @Test func aLogHoldingOnlyTheNewRunSaysTheCrashedRunIsGone() throws {
        let source = try writeLog([Self.banner, "new run line"], modified: "2025-10-31 12:00:00")
        let correlation = try analyze(source)
        #expect(correlation.placedRuns?.isEmpty == true)
        let note = try #require(correlation.notes?.first)
        #expect(note.contains("crashed run's lines are gone"))
        #expect(note.contains("`w`"))
    }

    @Test func timestampedLogsAreNotSplitIntoRuns() throws {
        let source = try writeLog(
            ["2025-10-31_11:14:30 ERROR [misc] Map::Update failed", "  continued"], modified: "2025-10-31 11:14:35")
        let evidence = LogEvidenceReader.read([source])
        #expect(evidence.untimed.isEmpty)
        // The continuation carries the time of the line it continues.
        #expect(evidence.lines.count == 2)
    }
}
