import AppCore
import ArgumentParser
import CrashAnalysis
import CrashStore
import CrashwatchKit
import Foundation
import HistoryServer

struct BenchHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Fill a history with many occurrences; time the history browser's queries.",
        discussion: """
            A raw count over the same database runs as the reference. With --postgres, the same queries run on a \
            PostgreSQL history beside the SQLite one, and two writer processes with different host names record \
            --concurrent occurrences each into it at once; the counts must add up exactly. The database must hold no \
            crashwatch groups yet (the benchmark fills it).
            """)

    @Option(help: "Occurrences to store.")
    var occurrences = 100_000

    @Option(help: "Crash groups they fall into.")
    var groups = 2_000

    @Option(help: "A PostgreSQL history to measure beside SQLite (postgresql://user@host:port/database).")
    var postgres: String?

    @Option(help: "Occurrences each of the two concurrent writers records (with --postgres).")
    var concurrent = 10_000

    func run() async throws {
        let scratch = TemporaryDirectory("crashwatch-bench-history")
        // Kept until the end of the scope: the folder is removed when the value is released.
        defer { withExtendedLifetime(scratch) {} }
        let environment = ProcessInfo.processInfo.environment
        let sqlite = try CrashHistory(path: scratch.file("history.sqlite"), origin: HistoryOrigin(host: "bench"))
        var stores: [(name: String, store: any HistoryStore)] = [("SQLite", sqlite)]
        var shared: PostgresHistory?
        if let postgres {
            let url = try PostgresURL(postgres, environment: environment)
            let store = try PostgresHistory(
                url: url, origin: HistoryOrigin(host: "bench"), outboxPath: scratch.file("outbox.sqlite"),
                requestTimeout: .seconds(120))
            try await store.connect()
            guard try await store.counts().groups == 0 else {
                throw ValidationError(
                    "\(url.redacted) already holds crash groups; give the benchmark an empty database")
            }
            shared = store
            stores.append(("PostgreSQL", store))
        }
        for (name, store) in stores {
            let fillStart = ContinuousClock.now
            var batch: [PreparedOccurrence] = []
            for index in 0..<occurrences {
                batch.append(Self.occurrence(index, groups: groups, host: "bench"))
                if batch.count == 5_000 {
                    try await Self.fill(store, with: batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty { try await Self.fill(store, with: batch) }
            let fillSeconds = (ContinuousClock.now - fillStart).seconds
            let counts = try await store.counts()
            print(
                "crashwatch bench history (\(name)): \(counts.occurrences) occurrences in \(counts.groups) groups (filled in \(String(format: "%.1f", fillSeconds)) s)"
            )
            try await Self.timeQueries(store)
        }
        if let shared, let postgres { try await concurrentWriters(shared, url: postgres) }
        print("  (goal: each query under 50 ms)")
    }

    private static func fill(_ store: any HistoryStore, with batch: [PreparedOccurrence]) async throws {
        if let sqlite = store as? CrashHistory {
            _ = try await sqlite.recordAll(batch)
        } else if let shared = store as? PostgresHistory {
            _ = try await shared.recordAll(batch)
        }
    }

    private static func timeQueries(_ store: any HistoryStore) async throws {
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
        for sort in GroupFilter.Sort.allCases {
            try await time("groups page 1, sorted by \(sort.rawValue)") {
                _ = try await store.groups(GroupFilter(sort: sort, limit: 200))
            }
        }
        try await time("groups page 5 (offset 800), by count") {
            _ = try await store.groups(GroupFilter(sort: .count, limit: 200, offset: 800))
        }
        try await time("groups filtered by text \"Update\"") {
            _ = try await store.groups(GroupFilter(text: "Update", limit: 200))
        }
        try await time("groups filtered by state new") {
            _ = try await store.groups(GroupFilter(state: .new, limit: 200))
        }
        try await time("groups filtered by host") { _ = try await store.groups(GroupFilter(host: "bench", limit: 200)) }
        let page = try await store.groups(GroupFilter(sort: .count, limit: 200))
        try await time("where each host saw page 1's groups") {
            _ = try await store.sightings(groupIDs: page.compactMap(\.id))
        }
        let biggest = page.first!
        try await time("occurrences of the biggest group (\(biggest.count)), first 100") {
            _ = try await store.occurrences(groupID: biggest.id!, limit: 100)
        }
        try await time("reference: count of groups and occurrences") { _ = try await store.counts() }
    }

    /// Two processes, hosts `writer-a` and `writer-b`, each recording `concurrent` occurrences through the normal
    /// path (outbox, then one transaction each) into the same groups at once.
    private func concurrentWriters(_ shared: PostgresHistory, url: String) async throws {
        let before = try await shared.counts()
        let start = ContinuousClock.now
        let executable = CommandLine.arguments[0]
        let writers = try ["writer-a", "writer-b"].map { host -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [
                "bench", "history-writer", "--postgres", url, "--host", host, "--count", String(concurrent),
                "--groups", String(groups),
            ]
            try process.run()
            return process
        }
        for writer in writers { writer.waitUntilExit() }
        let seconds = (ContinuousClock.now - start).seconds
        guard writers.allSatisfy({ $0.terminationStatus == 0 }) else {
            throw ValidationError("a concurrent writer failed (status \(writers.map { $0.terminationStatus }))")
        }
        let after = try await shared.counts()
        let added = after.occurrences - before.occurrences
        let stored = try await shared.groups(GroupFilter(limit: 1_000_000))
        let counted = stored.reduce(0) { $0 + $1.count }
        let sightings = try await shared.sightings(groupIDs: stored.compactMap(\.id)).values.flatMap { $0 }
        let perHost = Dictionary(grouping: sightings, by: \.host).mapValues { $0.reduce(0) { $0 + $1.count } }
        print(
            "crashwatch bench history (PostgreSQL, two hosts at once): \(2 * concurrent) occurrences in \(String(format: "%.1f", seconds)) s (\(String(format: "%.0f", Double(2 * concurrent) / seconds))/s)"
        )
        print(
            "  rows added \(added) (expected \(2 * concurrent)); group counts sum \(counted) = rows \(after.occurrences): \(counted == after.occurrences ? "exact" : "MISMATCH"); writer-a \(perHost["writer-a"] ?? 0), writer-b \(perHost["writer-b"] ?? 0)"
        )
        if added != 2 * concurrent || counted != after.occurrences {
            throw ExitCode(1)
        }
    }

    static func occurrence(_ index: Int, groups: Int, host: String) -> PreparedOccurrence {
        // Skewed like real servers: a few groups hold most crashes.
        let group = Int(pow(Double(index % 997) / 997, 3) * Double(groups))
        return PreparedOccurrence(
            result: result(group: group, occurrence: index, host: host), reportPath: "Crashes/\(host)-r\(index).txt",
            time: 1_761_900_000 + Int64(index), fileIdentity: nil, origin: HistoryOrigin(host: host))
    }

    static func result(group: Int, occurrence: Int, host: String = "bench") -> CrashAnalysisResult {
        let function =
            ["Map::Update", "Unit::DealDamage", "Spell::EffectSchoolDMG", "Creature::Update"][group % 4] + "_\(group)"
        var report = CrashReport(format: .gdb, rawText: "bench \(host) \(group) \(occurrence)")
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

/// One of the two hosts of `bench history --postgres`: records occurrences through the normal path.
struct BenchHistoryWriterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history-writer", abstract: "One writer host of `bench history --postgres`.",
        shouldDisplay: false)

    @Option var postgres: String
    @Option var host: String
    @Option var count: Int
    @Option var groups: Int

    func run() async throws {
        let scratch = TemporaryDirectory("crashwatch-bench-writer")
        defer { withExtendedLifetime(scratch) {} }
        let url = try PostgresURL(postgres, environment: ProcessInfo.processInfo.environment)
        let store = try PostgresHistory(
            url: url, origin: HistoryOrigin(host: host), outboxPath: scratch.file("outbox.sqlite"),
            requestTimeout: .seconds(120))
        for index in 0..<count {
            let outcome = await store.record(BenchHistoryCommand.occurrence(index, groups: groups, host: host))
            if case .pending(let problem) = outcome { throw problem }
        }
    }
}
