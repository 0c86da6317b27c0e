import ArgumentParser
import CrashAnalysis
import CrashStore
import CrashwatchKit
import Foundation

struct BenchHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Fill a history database with many occurrences; time the history browser's queries.",
        discussion: "A raw SQL count over the same database runs as the reference.")

    @Option(help: "Occurrences to store.")
    var occurrences = 100_000

    @Option(help: "Crash groups they fall into.")
    var groups = 2_000

    func run() async throws {
        let scratch = TemporaryDirectory("crashwatch-bench-history")
        // Kept until the end of the scope: the folder is removed when the value is released.
        defer { withExtendedLifetime(scratch) {} }
        let folder = scratch.path
        let history = try CrashHistory(path: "\(folder)/history.sqlite")
        let fillStart = ContinuousClock.now
        var batch: [(result: CrashAnalysisResult, reportPath: String, time: Int64)] = []
        for index in 0..<occurrences {
            // Skewed like real servers: a few groups hold most crashes.
            let group = Int(pow(Double(index % 997) / 997, 3) * Double(groups))
            batch.append(
                (Self.result(group: group, occurrence: index), "Crashes/r\(index).txt", 1_761_900_000 + Int64(index)))
            if batch.count == 5_000 {
                _ = try await history.recordAll(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { _ = try await history.recordAll(batch) }
        let fillSeconds = (ContinuousClock.now - fillStart).seconds
        let counts = try await history.counts()
        print(
            "crashwatch bench history: \(counts.occurrences) occurrences in \(counts.groups) groups (filled in \(String(format: "%.1f", fillSeconds)) s)"
        )

        func time(_ label: String, _ body: () async throws -> Void) async rethrows {
            var runs: [Double] = []
            for _ in 0..<7 {
                let start = ContinuousClock.now
                try await body()
                runs.append((ContinuousClock.now - start).seconds * 1000)
            }
            runs.sort()
            print(
                "  \(label.padding(toLength: 44, withPad: " ", startingAt: 0)) median \(String(format: "%.2f", runs[3])) ms   worst \(String(format: "%.2f", runs.last!)) ms"
            )
        }
        for sort in CrashHistory.Sort.allCases {
            try await time("groups page 1, sorted by \(sort.rawValue)") {
                _ = try await history.groups(sort: sort, limit: 200)
            }
        }
        try await time("groups page 5 (offset 800), by count") {
            _ = try await history.groups(sort: .count, limit: 200, offset: 800)
        }
        try await time("groups filtered by text \"Update\"") {
            _ = try await history.groups(text: "Update", limit: 200)
        }
        try await time("groups filtered by state new") { _ = try await history.groups(state: .new, limit: 200) }
        let biggest = try await history.groups(sort: .count, limit: 1).first!
        try await time("occurrences of the biggest group (\(biggest.count)), first 100") {
            _ = try await history.occurrences(groupID: biggest.id!, limit: 100)
        }
        try await time("reference: count of groups and occurrences") { _ = try await history.counts() }
        print("  (goal: each query under 50 ms)")
    }

    static func result(group: Int, occurrence: Int) -> CrashAnalysisResult {
        let function =
            ["Map::Update", "Unit::DealDamage", "Spell::EffectSchoolDMG", "Creature::Update"][group % 4] + "_\(group)"
        var report = CrashReport(format: .gdb, rawText: "bench \(group) \(occurrence)")
        report.exceptionCode = "SIGSEGV"
        report.buildHash = "build\(occurrence / 20_000)"
        let text = "SIGSEGV | \(function)"
        let signature = CrashSignature(
            signature: text, groupKey: SignatureGenerator.stableHash(text), algorithmVersion: 1, faultKind: "SIGSEGV",
            similarityFrames: [function], normalizedFrames: [function], note: nil)
        let diagnosis = Diagnosis(
            severity: .high, isBotRelated: group % 3 == 0, botEvidence: [], components: [],
            rootCause: .init(text: "bench", evidence: []), suggestions: [], patterns: [])
        return CrashAnalysisResult(
            file: nil, report: report, signature: signature, diagnosis: diagnosis, correlation: nil)
    }
}
