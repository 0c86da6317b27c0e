import AppCore
import ArgumentParser
import Foundation
import LogWatch

struct BenchSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract:
            "Search a whole log through its line index, as / and n/N do past the lines held in memory; print MB/s next to grep -c in the same run.",
        discussion:
            "Lowercase patterns ignore case (grep gets -i); a pattern without regex metacharacters is a literal (grep -F), any other a regex (grep -E)."
    )

    @Argument(help: "A log file.")
    var file: String

    @Argument(help: "The pattern, as typed at /.")
    var pattern: String

    func run() async throws {
        guard FileManager.default.isReadableFile(atPath: file) else { throw ValidationError("cannot read \(file)") }
        let text = try FileSearch.TextPattern(pattern)
        let bytes = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.doubleValue ?? 0
        let mib = bytes / 1_048_576
        let isLiteral = !pattern.contains { "\\^$.|?*+()[]{}".contains($0) }
        let grepArguments =
            ["grep", "-c"] + (pattern == pattern.lowercased() ? ["-i"] : []) + (isLiteral ? ["-F"] : ["-E"]) + [
                pattern, file,
            ]
        let grep = try ReferenceCommand.run(grepArguments)

        let indexStart = ContinuousClock.now
        let index = try SparseLineIndex.build(path: file, upTo: .max)
        let indexSeconds = (ContinuousClock.now - indexStart).seconds
        let search = FileSearch(index: index)
        let countStart = ContinuousClock.now
        let count = try search.countMatchingLines(.text(text))
        let countSeconds = (ContinuousClock.now - countStart).seconds
        let lastStart = ContinuousClock.now
        let last = try search.find(.text(text), after: index.lineCount + 1, direction: .backward)
        let firstFromEnd = try search.find(.text(text), after: 0, direction: .forward)
        let jumpSeconds = (ContinuousClock.now - lastStart).seconds

        print(
            "crashwatch bench search \(file) /\(pattern)/: \(String(format: "%.1f", mib)) MiB, \(index.lineCount) lines"
        )
        print("  index (once, in the background)  \(String(format: "%7.1f", mib / indexSeconds)) MiB/s")
        print(
            "  crashwatch count                 \(String(format: "%7.1f", mib / countSeconds)) MiB/s  \(count) matching lines"
        )
        print(
            "  \(grepArguments.dropLast().joined(separator: " ")) \(String(repeating: " ", count: max(1, 31 - grepArguments.dropLast().joined(separator: " ").count)))\(String(format: "%7.1f", mib / grep.seconds)) MiB/s  \(grep.output.trimmingCharacters(in: .whitespacesAndNewlines)) matching lines"
        )
        print(
            "  ratio                            \(String(format: "%.2f", grep.seconds / countSeconds)) × grep's MB/s (goal ≥ 0.5)"
        )
        print(
            "  first and last match (n from line 1, N from the end): lines \(firstFromEnd.map(String.init) ?? "none"), \(last.map(String.init) ?? "none") in \(String(format: "%.0f", jumpSeconds * 1000)) ms"
        )
    }
}
