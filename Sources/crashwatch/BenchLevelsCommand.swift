import AppCore
import ArgumentParser
import Foundation
import LogWatch

struct BenchLevelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "levels",
        abstract:
            "Level a labelled sample of unprefixed lines; print the share of errors called errors and of info lines called info, next to the wording rules alone.",
        discussion:
            "The sample is `level<TAB>message` per line (Tests/Fixtures/levels/ holds crashwatch's own). Misses are listed with --misses."
    )

    @Argument(help: "Labelled sample files.")
    var files: [String]

    @Flag(help: "List every line the rules got wrong.")
    var misses = false

    func run() async throws {
        let (reading, problem) = LogFormatsLoader.reading(directories: RuleLibrary.defaultDirectories())
        if let problem { print("note: \(problem)") }
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read \(file)")
            }
            let sample = try LevelSample(text, file: file)
            let start = ContinuousClock.now
            let score = sample.score(reading)
            let seconds = (ContinuousClock.now - start).seconds
            // The reference: the same sample through the wording rules alone (what crashwatch did before levels.txt).
            let wording = sample.score(LineReading(parser: reading.parser))
            print("crashwatch bench levels \(file): \(sample.entries.count) lines, \(reading.levels.count) level rules")
            for kind in LevelSample.Kind.allCases {
                let total = score.total[kind, default: 0]
                print(
                    "  \(kind.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(String(format: "%5d", total)) lines  rules+wording \(percent(score.share(kind)))  wording alone \(percent(wording.share(kind)))"
                )
            }
            print(
                "  goal: errors ≥ 95 %, other ≥ 99 %; \(String(format: "%.1f", Double(sample.entries.count) / max(seconds, 1e-9) / 1000)) k lines/s"
            )
            if misses {
                for miss in score.misses {
                    print(
                        "  miss \(miss.entry.origin): expected \(miss.entry.expected), got \(miss.got.map { "\($0)" } ?? "none"): \(miss.entry.message)"
                    )
                }
            }
        }
    }

    private func percent(_ share: Double) -> String { String(format: "%6.2f %%", share * 100) }
}
