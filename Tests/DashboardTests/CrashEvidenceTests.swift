import CrashAnalysis
import LogWatch
import Testing

@testable import Dashboard
@testable import TerminalUI

/// The log lines the dashboard hands the crash analysis for a live crash.
@Suite struct CrashEvidenceTests {
    private var classifier = LineClassifier()

    private mutating func batch(_ texts: [String], backlog: Bool = false) -> LogBatch {
        LogBatch(lines: texts.map { classifier.classify(RawLine(bytes: Array($0.utf8))) }, isBacklog: backlog)
    }

    /// An unprefixed line read live carries the time it was read, so a crash that follows it finds it; a line read
    /// from the file's past does not (its read time says nothing about when it was written).
    @Test mutating func unprefixedLinesReadLiveArePlacedByTheirReadTime() {
        var state = DashboardState(
            panes: [LogPane(title: "Server.log", path: "Server.log")], size: Size(width: 80, height: 24))
        state.wallSeconds = 1_000
        state.ingest(batch(["Map::Update: old line from before the start"], backlog: true), into: 0)
        state.wallSeconds = 2_000
        state.ingest(batch(["Spell::EffectTriggerSpell spell 1 tried to trigger unknown spell 2"]), into: 0)
        let evidence = state.recentEvidence()
        #expect(evidence.map(\.text) == ["Spell::EffectTriggerSpell spell 1 tried to trigger unknown spell 2"])
        #expect(evidence.first?.time == 2_000)
        #expect(evidence.first?.level == .error)
    }
}
