import AppCore
import ArgumentParser
import CrashwatchKit
import Foundation
import LogWatch
import SystemPackage

struct BenchIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract:
            "Classify every line of a log (level, time, logger); print MB/s, lines/s and peak RSS next to grep -c.",
        discussion: "Generate a realistic file with ../shared/tools/gen_log.py --bytes 1073741824 --seed 1 --out FILE.")

    @Argument(help: "A log file.")
    var file: String

    @Flag(help: "Only find the lines, do not classify them (to see where the time goes).")
    var scanOnly = false

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
        // Reference first, on the same file: grep's own speed and memory.
        let grep = try ReferenceCommand.run(["grep", "-c", "ERROR", file])

        let start = ContinuousClock.now
        var counts = IngestCounts()
        if scanOnly {
            counts.bytes = try LogScanner().scan(FilePath(file)) { _, _ in counts.lines += 1 }
        } else {
            let (parser, warning) = LogFormatsLoader.parser(directories: RuleLibrary.defaultDirectories())
            if let warning { print("note: \(warning)") }
            counts = try IngestCounts.classify(FilePath(file), parser: parser)
        }
        let (bytes, lines, levels, stamped, withLogger) = (
            counts.bytes, counts.lines, counts.levels, counts.stamped, counts.withLogger
        )
        let seconds = (ContinuousClock.now - start).seconds
        let mib = Double(bytes) / 1_048_576
        let peak = ProcessMemory.residentKiB()?.peak ?? 0
        print("crashwatch bench ingest \(file): \(String(format: "%.1f", mib)) MiB, \(lines) lines")
        print(
            "  crashwatch   \(String(format: "%7.1f", mib / seconds)) MiB/s  \(String(format: "%10.0f", Double(lines) / seconds)) lines/s  peak RSS \(ProcessMemory.mebibytes(peak))"
        )
        print(
            "  grep -c      \(String(format: "%7.1f", mib / grep.seconds)) MiB/s  \(String(repeating: " ", count: 18))peak RSS \(ProcessMemory.mebibytes(grep.maxRSSKiB))"
        )
        print("  ratio        \(String(format: "%.2f", grep.seconds / seconds)) × grep's MB/s (goal ≥ 0.5)")
        let names = ["none", "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]
        print("  levels       " + zip(names, levels).map { "\($0) \($1)" }.joined(separator: ", "))
        print("  timestamps   \(stamped), loggers \(withLogger)")
    }
}
