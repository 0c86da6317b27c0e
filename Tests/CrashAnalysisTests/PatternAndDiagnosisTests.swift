import CrashwatchKit
import Foundation
import LogWatch
import Testing

@testable import CrashAnalysis

@Suite struct PatternAndDiagnosisTests {
    @Test func sevenShippedPatterns() throws {
        let ids = try TestRules.patterns().map(\.id).sorted()
        #expect(
            ids == [
                "bih-collision", "deadlock-freeze", "ghost-aura-duplicate", "map-remove-list", "null-socket",
                "spell-teleport-ack", "unit-spellmod-dealdamage",
            ])
    }

    @Test(arguments: try! TestRules.patternFiles())
    func everyPatternMatchesItsOwnExample(file: String) throws {
        let pattern = try PatternLoader.load(try TestRules.text("patterns/\(file)"), file: file)
        let example = try #require(pattern.example, "\(file) has no [example] report")
        let result = try TestRules.analyzer().analyze(text: example)
        #expect(result.report.format != .unknown, "the example of \(file) is not a recognised report")
        #expect(
            result.diagnosis.patterns.contains { $0.id == pattern.id },
            "\(file) does not match its own example; matched \(result.diagnosis.patterns.map(\.id))")
    }

    @Test func patternErrorsNameTheKey() {
        #expect(
            throws: RuleFileError(
                file: "p.toml", key: "severity", problem: "expected low, medium, high or critical, got huge")
        ) {
            try PatternLoader.load(
                "id = \"x\"\nname = \"x\"\nseverity = \"huge\"\nroot-cause = \"x\"\n[match]\nfunctions = [\"a\"]\n",
                file: "p.toml")
        }
        #expect(
            throws: RuleFileError(file: "p.toml", key: "match.functions", problem: "not a valid regular expression: (")
        ) {
            try PatternLoader.load(
                "id = \"x\"\nname = \"x\"\nseverity = \"low\"\nroot-cause = \"x\"\n[match]\nfunctions = [\"(\"]\n",
                file: "p.toml")
        }
        #expect(
            throws: RuleFileError(
                file: "p.toml", key: "colour",
                problem:
                    "unknown key (expected example, fix-template, id, match, name, root-cause, severity, suggestions, upstream-fixes)"
            )
        ) {
            try PatternLoader.load("colour = 1\n", file: "p.toml")
        }
    }

    @Test func diagnosisOfABotCrashCarriesEvidence() throws {
        let result = try TestRules.analyzer().analyze(text: try TestRules.fixture("gdb-core-all-threads"))
        let diagnosis = result.diagnosis
        #expect(diagnosis.isBotRelated)
        #expect(diagnosis.botEvidence == ["frame 4 PlayerbotAI::CastSpell"])
        #expect(diagnosis.components.first == "Spells")
        #expect(diagnosis.components.contains("Playerbot"))
        #expect(diagnosis.severity == .high)
        #expect(!diagnosis.rootCause.evidence.isEmpty)
        #expect(diagnosis.suggestions.allSatisfy { !$0.evidence.isEmpty })
        #expect(diagnosis.suggestions.contains { $0.text.hasPrefix("Bots are involved") })
    }

    @Test func nullThisIsCalledOut() throws {
        let result = try TestRules.analyzer().analyze(text: try TestRules.fixture("gdb-signal-handler"))
        #expect(result.diagnosis.rootCause.text.contains("null object (this=0x0)"))
        #expect(result.diagnosis.rootCause.evidence == ["frame 4 arguments: this=0x0"])
    }

    @Test func assertionCauseNamesTheCondition() throws {
        let result = try TestRules.analyzer().analyze(text: try TestRules.fixture("ac-boxed-assert"))
        #expect(result.diagnosis.rootCause.text.contains("`x < MAX_NUMBER_OF_GRIDS && y < MAX_NUMBER_OF_GRIDS`"))
        #expect(result.diagnosis.severity == .medium)
    }

    @Test func correlationUsesTheWindowBeforeTheCrash() throws {
        let crash = CivilTime(year: 2025, month: 10, day: 31, hour: 11, minute: 14).secondsSinceEpoch
        var lines: [LogEvidenceLine] = []
        for offset in [-400, -200, -100, -5, 30] {
            lines.append(
                LogEvidenceLine(
                    time: crash + Int64(offset), source: "Server.log", level: .error, text: "error at \(offset)"))
        }
        for n in 0..<4 {
            lines.append(
                LogEvidenceLine(
                    time: crash - 10, source: "Playerbot.log", level: .warn, text: "Bot Aldor stuck on quest \(100 + n)"
                ))
        }
        lines.append(
            LogEvidenceLine(
                time: crash - 3, source: "Playerbot.log", level: nil, text: "Bot Aldor action: attack Hogger"))
        lines.append(
            LogEvidenceLine(time: crash + 5, source: "Playerbot.log", level: nil, text: "Bot Celestia action: heal"))
        let correlation = LogCorrelator.correlate(
            lines, crashTime: crash, templater: try TestRules.templater(), windowSeconds: 300)
        #expect(correlation.errors.map(\.text) == ["error at -200", "error at -100", "error at -5"])
        #expect(correlation.repeatedWarnings.map(\.count) == [4])
        #expect(
            correlation.repeatedWarnings.first?.template == "Bot <name> stuck on quest <n>",
            "as the warnings pane masks it")
        #expect(correlation.lastBotActions.map(\.bot) == ["Aldor"], "Celestia's line came after the crash")
        #expect(correlation.lastBotActions.first?.secondsBeforeCrash == 3)
    }

    @Test func jsonDocumentIsStableAndComplete() throws {
        let result = try TestRules.analyzer().analyze(text: try TestRules.fixture("wheaty-assert"), file: "r.txt")
        let json = AnalysisDocument(result).json()
        #expect(json == AnalysisDocument(result).json())
        let decoded = try JSONDecoder().decode(AnalysisDocument.self, from: Data(json.utf8))
        #expect(decoded == AnalysisDocument(result))
        for key in [
            "\"schemaVersion\" : 1", "\"signature\"", "\"diagnosis\"", "\"crashingThread\"", "\"groupID\"",
            "\"rawTextBytes\"",
        ] {
            #expect(json.contains(key), "missing \(key)")
        }
    }

    @Test func markdownReportHasItsSections() throws {
        let result = try TestRules.analyzer().analyze(text: try TestRules.fixture("wheaty-assert"), file: "r.txt")
        let markdown = MarkdownReport.render(result)
        for heading in [
            "# Crash: `ASSERTION | WorldObject::GetMap | Map::AddObjectToRemoveList`", "## Root cause (hypothesis)",
            "## Suggestions", "## Known patterns", "## Crashing thread",
        ] {
            #expect(markdown.contains(heading), "missing \(heading)")
        }
    }
}
