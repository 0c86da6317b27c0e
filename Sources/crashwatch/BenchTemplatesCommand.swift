import AppCore
import ArgumentParser
import Foundation
import LogWatch
import SystemPackage

struct BenchTemplatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Ingest a log file, then ingest it again with templating of every WARN/ERROR line; compare.",
        discussion: "Also runs `grep -c ERROR FILE` in the same invocation as a reference.")

    @Argument(help: "A log file (e.g. from shared/tools/gen_log.py; --flags 0 for TrinityCore's unprefixed default).")
    var file: String

    @Flag(help: "Level unprefixed lines by wording only, without the shapes of Rules/levels*.txt (to see their cost).")
    var noLevelRules = false

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let (templater, suspicious, warning) = try TriageRules.load(directories: RuleLibrary.defaultDirectories())
        if let warning { print("note: \(warning)") }
        // Read as the dashboard reads: the shipped formats and level shapes (unprefixed lines are matched to them).
        let (reading, readingProblem) = LogFormatsLoader.reading(directories: RuleLibrary.defaultDirectories())
        if let readingProblem { print("note: \(readingProblem)") }
        let bytes = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.doubleValue ?? 0

        let grepSeconds = try ReferenceCommand.run(["grep", "-c", "ERROR", file]).seconds

        let plain = pass(templater: nil, reading: noLevelRules ? LineReading(parser: reading.parser) : reading)
        let templated = pass(
            templater: templater, reading: noLevelRules ? LineReading(parser: reading.parser) : reading)
        let withValues = pass(
            templater: templater, reading: noLevelRules ? LineReading(parser: reading.parser) : reading,
            maskValues: true)
        let triaged = triagePass(
            TriageModel(templater: templater, suspicious: suspicious),
            reading: noLevelRules ? LineReading(parser: reading.parser) : reading)
        let mib = bytes / 1_048_576
        print(
            "crashwatch bench templates \(file): \(plain.lines) lines, \(String(format: "%.1f", mib)) MiB, \(templated.templated) WARN/ERROR lines templated"
        )
        print(
            "  ingest              \(rate(plain.lines, plain.seconds)) lines/s  \(String(format: "%.1f", mib / plain.seconds)) MiB/s"
        )
        print(
            "  ingest + templates  \(rate(templated.lines, templated.seconds)) lines/s  \(String(format: "%.1f", mib / templated.seconds)) MiB/s"
        )
        let extra = max(0, templated.seconds - plain.seconds)
        print(
            "  templating alone    \(rate(templated.templated, max(extra, 1e-9))) templated lines/s; costs \(String(format: "%.0f", extra / plain.seconds * 100)) % of the ingest time (goal < 50 %)"
        )
        let valuesCost = max(0, withValues.seconds - templated.seconds)
        print(
            "  + mask values       \(rate(withValues.lines, withValues.seconds)) lines/s; reading back the values behind the masks costs \(String(format: "%.2f", valuesCost / Double(max(1, withValues.templated)) * 1e6)) µs per templated line"
        )
        print(
            "  whole triage        \(rate(triaged.lines, triaged.seconds)) lines/s  \(String(format: "%.1f", mib / triaged.seconds)) MiB/s (TriageModel.ingest: templates, flags, escalation, values, error ring)"
        )
        print("  grep -c ERROR       \(String(format: "%.1f", mib / grepSeconds)) MiB/s (same file, same run)")
        if let memory = ProcessMemory.residentKiB() {
            print("  peak RSS            \(ProcessMemory.mebibytes(memory.peak))")
        }
    }

    private func rate(_ count: Int, _ seconds: Double) -> String {
        String(format: "%.0f", Double(count) / max(seconds, 1e-9))
    }

    /// Reads the whole file through the follower and classifier, templating WARN/ERROR messages when asked.
    private func pass(templater: MessageTemplater?, reading: LineReading, maskValues: Bool = false) -> (
        lines: Int, templated: Int, seconds: Double
    ) {
        var values: [String: MaskedValues] = [:]
        let follower = FileFollower(path: FilePath(file), maxBytesPerPoll: 16 * 1024 * 1024)
        var classifier = LineClassifier(reading: reading)
        var lines = 0, templated = 0
        var sink = 0
        let start = ContinuousClock.now
        while true {
            let update = follower.poll()
            for raw in update.lines {
                let line = classifier.classify(raw)
                lines += 1
                if let templater, let level = line.level, level >= .warn {
                    let template = templater.template(line.message)
                    sink &+= template.utf8.count
                    if maskValues { values[template, default: MaskedValues()].record(line.message, template: template) }
                    templated += 1
                }
            }
            if !update.hasMore { break }
        }
        precondition(sink >= 0 && values.count >= 0)
        return (lines, templated, (ContinuousClock.now - start).seconds)
    }

    /// Reads the whole file into a `TriageModel`, as the dashboard does with every line.
    private func triagePass(_ model: TriageModel, reading: LineReading) -> (lines: Int, seconds: Double) {
        var model = model
        let follower = FileFollower(path: FilePath(file), maxBytesPerPoll: 16 * 1024 * 1024)
        var classifier = LineClassifier(reading: reading)
        var lines = 0
        let start = ContinuousClock.now
        while true {
            let update = follower.poll()
            for raw in update.lines {
                model.ingest(classifier.classify(raw), pane: 0, source: "Server.log", readTime: 1, isBotLog: false)
                lines += 1
            }
            if !update.hasMore { break }
        }
        precondition(model.errors.total >= 0)
        return (lines, (ContinuousClock.now - start).seconds)
    }
}
