import AppCore
import ArgumentParser
import CrashInbox
import CrashStore
import CrashwatchKit
import Demo
import Foundation
import LogWatch

struct BenchInboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox",
        abstract: "Write crash reports into a watched folder; print the time from last write to inbox entry.",
        discussion: "Each report is written in two pieces 20 ms apart. `cp` of the same report runs as a reference.")

    @Option(help: "How many reports to write.")
    var reports = 40

    @Flag(help: "Poll instead of using inotify (as on systems without it).")
    var polling = false

    func run() async throws {
        let scratch = TemporaryDirectory("crashwatch-bench-inbox")
        // Kept until the end of the scope: the folder is removed when the value is released.
        defer { withExtendedLifetime(scratch) {} }
        let folder = scratch.path
        let crashes = "\(folder)/Crashes"
        try FileManager.default.createDirectory(atPath: crashes, withIntermediateDirectories: true)
        let setup = try CrashSetup.make(
            folders: [crashes], historyPath: "\(folder)/history.sqlite",
            ruleDirectories: RuleLibrary.defaultDirectories())
        let service = CrashInboxService(analyzer: setup.analyzer, history: setup.history)
        var watcher = CrashFolderWatcher(folders: [crashes])
        watcher.usesInotify = !polling
        let arrivals = ArrivalLog()
        let consumer = Task {
            for await event in watcher {
                if let item = await service.process(event) {
                    await arrivals.add(path: item.path, at: ContinuousClock.now)
                }
            }
        }
        defer { consumer.cancel() }
        try await Task.sleep(for: .milliseconds(200))

        var writes: [String: ContinuousClock.Instant] = [:]
        var copySeconds: [Double] = []
        for number in 0..<reports {
            let base = CivilTime(
                year: 2025, month: 10, day: 31, hour: 11, minute: number / 60 % 60, second: number % 60)
            let report = DemoCrashReports.report(number: number, at: base)
            let text = report.text + "bench report \(number)\n"
            let path = "\(crashes)/bench-\(number).txt"
            let handle = try FileHandle(
                forWritingTo: URL(
                    fileURLWithPath: {
                        FileManager.default.createFile(atPath: path, contents: nil); return path
                    }()))
            let half = text.utf8.count / 2
            try handle.write(contentsOf: Data(text.utf8.prefix(half)))
            try await Task.sleep(for: .milliseconds(20))
            try handle.write(contentsOf: Data(text.utf8.dropFirst(half)))
            try handle.close()
            writes[path] = ContinuousClock.now
            // Reference: the same bytes copied by cp.
            let copyStart = ContinuousClock.now
            _ = try ChildProcess.run(["cp", path, "\(folder)/copy-\(number).bak"])
            copySeconds.append((ContinuousClock.now - copyStart).seconds)
            try await Task.sleep(for: .milliseconds(100))
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while await arrivals.count < reports, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        var latencies = await arrivals.latencies(since: writes).sorted()
        let missing = reports - latencies.count
        if latencies.isEmpty { latencies = [.infinity] }
        func ms(_ v: Double) -> String { String(format: "%.1f ms", v * 1000) }
        print(
            "crashwatch bench inbox: \(reports) reports written in two pieces into a watched folder (\(polling ? "polling" : watcher.inotifyAvailable ? "inotify" : "polling: inotify unavailable"))"
        )
        print(
            "  last write → inbox   median \(ms(latencies[latencies.count / 2]))   worst \(ms(latencies.last!))   missing \(missing)   (goal: < 200 ms)"
        )
        copySeconds.sort()
        print(
            "  cp of one report     median \(ms(copySeconds[copySeconds.count / 2]))   worst \(ms(copySeconds.last ?? 0))  (reference, same run)"
        )
    }
}

actor ArrivalLog {
    private var arrivals: [String: ContinuousClock.Instant] = [:]
    var count: Int { arrivals.count }
    func add(path: String, at instant: ContinuousClock.Instant) { arrivals[path] = instant }
    func latencies(since writes: [String: ContinuousClock.Instant]) -> [Double] {
        arrivals.compactMap { path, arrived in writes[path].map { (arrived - $0).seconds } }
    }
}
