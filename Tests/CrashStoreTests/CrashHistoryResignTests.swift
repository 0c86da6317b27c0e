import CrashAnalysis
import CrashStore
import CrashwatchKit
import Foundation
import TestSupport
import Testing

/// Groups an older signature algorithm stored, re-signed from their own report text.
@Suite struct CrashHistoryResignTests {
    let scratch = TemporaryDirectory("cw-resign")

    /// An occurrence stored the old way: every crash of `oldKey` under one v1 signature.
    private func oldResult(function: String, oldKey: String, salt: String) -> CrashAnalysisResult {
        var result = SampleCrash.result(function: function, build: "b1", salt: salt)
        result.signature = CrashSignature(
            signature: "OLD | \(oldKey)", groupKey: oldKey, algorithmVersion: 1, faultKind: "SIGSEGV",
            similarityFrames: [], normalizedFrames: [], note: nil)
        return result
    }

    /// Today's signature, from the report text alone (`report FUNCTION BUILD SALT`), as the analyzer would.
    private static func sign(_ occurrence: OccurrenceRecord) -> CrashSignature {
        let function = String(occurrence.rawText.split(separator: " ")[1])
        return SampleCrash.result(function: function, build: nil).signature
    }

    @Test func anOldGroupJoinsTheGroupTheSameCrashHasNowWithItsStateAndDecisions() async throws {
        let history = try CrashHistory(path: scratch.file("h.sqlite"))
        guard
            case .recorded(let old, _) = await history.record(
                oldResult(function: "Map::Update", oldKey: "old-map", salt: "1"), reportPath: "1.txt", time: 10),
            case .recorded(let current, _) = await history.record(
                SampleCrash.result(function: "Map::Update", build: "b2", salt: "2"), reportPath: "2.txt", time: 20)
        else {
            Issue.record("recorded")
            return
        }
        _ = await history.record(
            oldResult(function: "Map::Update", oldKey: "old-map", salt: "3"), reportPath: "3.txt", time: 5)
        try await history.resolve(groupID: old, inBuild: "b1")
        try await history.recordDecision(
            FixDecisionRecord(
                id: nil, groupID: old, time: 7, decision: .approved, reason: nil, patch: "diff", commitHash: "c1"))
        let summary = try await history.resign(currentVersion: 2, signing: Self.sign)
        #expect(summary == CrashHistory.ResignSummary(groups: 1, merged: 1, split: 0, movedOccurrences: 2))
        let groups = try await history.groups(GroupFilter())
        #expect(groups.map(\.id) == [current])
        let merged = try #require(groups.first)
        #expect(merged.count == 3 && merged.firstSeen == 5 && merged.lastSeen == 20)
        #expect(merged.state == .resolved && merged.resolvedInBuild == "b1", "the person's resolve carries over")
        #expect(try await history.decisions(groupID: current).map(\.commitHash) == ["c1"])
        #expect(try await history.sightings(groupID: current).first?.count == 3)
        // Done once: a second start finds nothing old.
        #expect(try await history.resign(currentVersion: 2, signing: Self.sign).groups == 0)
    }

    @Test func anOldGroupOfUnrelatedCrashesIsSplitAndAFreeKeyIsTakenInPlace() async throws {
        let history = try CrashHistory(path: scratch.file("h.sqlite"))
        guard
            case .recorded(let old, _) = await history.record(
                oldResult(function: "Unit::DealDamage", oldKey: "old-unknown", salt: "a"), reportPath: "a", time: 1)
        else {
            Issue.record("recorded")
            return
        }
        _ = await history.record(
            oldResult(function: "Spell::cast", oldKey: "old-unknown", salt: "b"), reportPath: "b", time: 2)
        _ = await history.record(
            oldResult(function: "Unit::DealDamage", oldKey: "old-unknown", salt: "c"), reportPath: "c", time: 3)
        try await history.ignore(groupID: old)
        let summary = try await history.resign(currentVersion: 2, signing: Self.sign)
        #expect(summary == CrashHistory.ResignSummary(groups: 1, merged: 0, split: 1, movedOccurrences: 1))
        let groups = try await history.groups(GroupFilter(sort: .count))
        #expect(groups.map(\.signature) == ["SIGSEGV | Unit::DealDamage", "SIGSEGV | Spell::cast"])
        #expect(groups.map(\.count) == [2, 1])
        #expect(groups.first?.id == old, "the group keeps its id where its new key was free")
        #expect(groups.allSatisfy { $0.algorithmVersion == 2 && $0.state == .ignored })
    }

    /// A stack-less copy (a cut paste that joined its crash by build and minute) has nothing to sign by: it stays.
    @Test func aStacklessCopyStaysWithTheCrashItJoined() async throws {
        let history = try CrashHistory(path: scratch.file("h.sqlite"))
        _ = await history.record(
            oldResult(function: "Map::Update", oldKey: "old-map", salt: "full"), reportPath: "full", time: 1)
        _ = await history.record(oldResult(function: "cut", oldKey: "old-map", salt: "x"), reportPath: "cut", time: 1)
        let summary = try await history.resign(currentVersion: 2) { occurrence in
            guard occurrence.reportPath == "cut" else { return Self.sign(occurrence) }
            return CrashSignature(
                signature: "UNKNOWN | text#1", groupKey: "text-1", algorithmVersion: 2, faultKind: "UNKNOWN",
                similarityFrames: [], normalizedFrames: [], note: nil)
        }
        #expect(summary.split == 0 && summary.movedOccurrences == 0)
        #expect(try await history.groups(GroupFilter()).map(\.count) == [2])
    }
}
