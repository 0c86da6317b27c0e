import AppCore
import ArgumentParser
import CrashAnalysis
import Foundation

struct BenchAnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse every report in a folder repeatedly; print reports/s, per-report time and memory.",
        discussion: "Runs `grep -c` over the same files in the same invocation as a reference for raw reading speed.")

    @Argument(help: "Folder of crash reports.")
    var folder: String

    @Option(help: "How many reports to analyse in all (the folder's reports are cycled).")
    var reports = 10_000

    func run() async throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            .filter { !$0.hasPrefix(".") }
        let paths = names.map { "\(folder)/\($0)" }
        let texts = paths.compactMap { FileManager.default.contents(atPath: $0) }.map { ReportDecoder.decode($0) }
        guard !texts.isEmpty else { throw ValidationError("no readable files in \(folder)") }
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        let library = try RuleLibrary.load(directories: RuleLibrary.defaultDirectories())
        let analyzer = library.analyzer

        // Reference: grep reading and matching the same files.
        let grepSeconds = try ReferenceCommand.run(
            ["grep", "-c", "-E", "Call stack:|^#[0-9]|ASSERTION FAILED|STACK_TEXT"] + paths
        ).seconds

        for text in texts { _ = analyzer.analyze(text: text) }  // warm-up
        var durations: [Double] = []
        durations.reserveCapacity(reports)
        var perFile = [[Double]](repeating: [], count: texts.count)
        var rssAfterFirstThousand: Int?
        let start = ContinuousClock.now
        for index in 0..<reports {
            let begin = ContinuousClock.now
            let result = analyzer.analyze(text: texts[index % texts.count])
            let milliseconds = (ContinuousClock.now - begin).seconds * 1000
            durations.append(milliseconds)
            perFile[index % texts.count].append(milliseconds)
            precondition(!result.signature.signature.isEmpty)
            if index == 999 { rssAfterFirstThousand = ProcessMemory.residentKiB()?.current }
        }
        let total = (ContinuousClock.now - start).seconds
        durations.sort()
        func percentile(_ p: Double) -> Double { durations[min(durations.count - 1, Int(Double(durations.count) * p))] }
        let memory = ProcessMemory.residentKiB()
        func ms(_ v: Double) -> String { String(format: "%.3f ms", v) }
        print("crashwatch bench analyze \(folder): \(texts.count) files, \(bytes) bytes, \(reports) analyses")
        print(
            "  crashwatch  \(String(format: "%.0f", Double(reports) / total)) reports/s   median \(ms(percentile(0.5)))   p99 \(ms(percentile(0.99)))   max \(ms(durations.last ?? 0))"
        )
        print(
            "  grep -c     \(String(format: "%.1f", Double(bytes) / 1_048_576 / max(grepSeconds, 1e-9))) MiB/s over the same files (one pass, \(ms(grepSeconds * 1000)) including start-up)"
        )
        let slowest = perFile.indices.map { index in
            (
                name: names[index], median: perFile[index].sorted()[perFile[index].count / 2],
                bytes: texts[index].utf8.count
            )
        }.sorted { $0.median > $1.median }.prefix(3)
        print(
            "  slowest     "
                + slowest.map { "\($0.name) (\($0.bytes) bytes) median \(ms($0.median))" }.joined(separator: "; "))
        if let memory {
            let first = rssAfterFirstThousand.map(ProcessMemory.mebibytes) ?? "n/a"
            print(
                "  memory      RSS after 1,000 reports \(first), after \(reports) \(ProcessMemory.mebibytes(memory.current)), peak \(ProcessMemory.mebibytes(memory.peak))"
            )
        }
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
