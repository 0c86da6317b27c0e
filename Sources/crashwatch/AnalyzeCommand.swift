import AppCore
import ArgumentParser
import CrashAnalysis
import CrashInbox
import Foundation
import LogWatch

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Parse crash reports, sign and group them, and explain each one.",
        discussion: """
            Reads Windows WheatyExceptionReport .txt files, gdb backtraces, ASSERT/ABORT output and CDB !analyze -v \
            text; the format is told from the content. --json prints an array with one object per file (schema: \
            Docs/analysis-json.md).
            """)

    @Argument(help: "Crash report files.")
    var files: [String]

    @Flag(help: "Print JSON (an array, one object per file).")
    var json = false

    @Flag(help: "Print a Markdown report per file.")
    var markdown = false

    @Option(help: "Logs folder: the timestamped lines before each crash are added as evidence.")
    var logs: String?

    @Option(
        help:
            "TrinityCore source tree: an assertion that names only its method (`in RemoveOwnedAura`) is signed with its class, as the inbox does."
    )
    var source: String?

    func validate() throws {
        if json && markdown { throw ValidationError("choose one of --json and --markdown") }
        if files.isEmpty { throw ValidationError("name at least one crash report file") }
        if let source, !FileManager.default.fileExists(atPath: source) {
            throw ValidationError("--source: source tree \(source) does not exist")
        }
    }

    func run() async throws {
        let library = try RuleLibrary.load(directories: RuleLibrary.defaultDirectories())
        let reading = LogFormatsLoader.reading(directories: RuleLibrary.defaultDirectories()).0
        let evidence =
            try logs.map {
                LogEvidenceReader.read(try LogSourceSpec.panes(logsFolder: $0, key: "--logs"), reading: reading)
            } ?? LogEvidenceReader.Evidence()
        let qualifier = source.map(SourceTreeQualifier.init(root:))
        let qualify = qualifier.map { tree in
            { @Sendable (method: String, file: String?) in tree.qualify(method: method, file: file) }
        }
        var documents: [AnalysisDocument] = []
        var failures = 0
        for file in files {
            guard let text = Self.readReport(file) else {
                failures += 1
                continue
            }
            let result = library.analyzer.analyze(
                text: text, file: file, timeIfUnstated: LogEvidenceReader.modificationTime(file),
                logLines: evidence.lines, untimedLogs: evidence.untimed, qualify: qualify)
            if json {
                documents.append(AnalysisDocument(result))
            } else if markdown {
                print(Self.inert(MarkdownReport.render(result)))
            } else {
                print(Self.inert(summary(result)))
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(documents), as: UTF8.self))
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// A report's text, decoded (UTF-16, Latin-1, NUL bytes); nil, said on standard error, when it cannot be read.
    static func readReport(_ file: String) -> String? {
        guard let data = FileManager.default.contents(atPath: file) else {
            FileHandle.standardError.write(Data("crashwatch: cannot read \(file)\n".utf8))
            return nil
        }
        return ReportDecoder.decode(data)
    }

    /// Text from a report is data: escape codes, bidi controls and other controls are shown, never sent to the
    /// terminal (JSON escapes them by itself).
    static func inert(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { LineSanitizer.sanitize(Array($0.utf8)) }
            .joined(separator: "\n")
    }

    private func summary(_ result: CrashAnalysisResult) -> String {
        let report = result.report, diagnosis = result.diagnosis
        var lines = [
            "\(result.file ?? "report"): \(report.format.rawValue)",
            "  signature  \(result.signature.signature)",
            "  group      \(result.signature.groupKey) (v\(result.signature.algorithmVersion))",
            "  exception  \(report.exceptionCode ?? "?") \(report.exceptionName ?? "")",
            "  thread     \(report.crashingThreadReason)",
            "  severity   \(diagnosis.severity.rawValue)\(diagnosis.isBotRelated ? ", bot-related" : "")"
                + (diagnosis.components.isEmpty ? "" : " — \(diagnosis.components.joined(separator: ", "))"),
        ]
        if let build = report.buildHash { lines.append("  build      \(build)") }
        for match in diagnosis.patterns { lines.append("  pattern    \(match.id): \(match.name)") }
        lines.append("  cause      \(diagnosis.rootCause.text)")
        for clue in diagnosis.clues { lines.append("  clue       \(clue.text)") }
        lines.append("  verdict    \(diagnosis.verdict.summary)")
        for problem in diagnosis.verdict.problems { lines.append("    - \(problem.text)") }
        for (rank, suggestion) in diagnosis.suggestions.prefix(3).enumerated() {
            lines.append("  fix \(rank + 1)      \(suggestion.text)")
        }
        if let correlation = result.correlation {
            for error in correlation.errors.suffix(8) { lines.append("  log        \(error.source): \(error.text)") }
            for warning in correlation.repeatedWarnings.prefix(5) {
                lines.append("  log        ×\(warning.count) \(warning.lastExample)")
            }
            for action in correlation.lastBotActions.prefix(5) {
                lines.append("  log        bot \(action.bot), \(action.secondsBeforeCrash) s before: \(action.line)")
            }
            for run in correlation.placedRuns ?? [] {
                lines.append("  log        \(run.how):")
                for line in run.lines { lines.append("               \(line.text)") }
            }
            for note in correlation.notes ?? [] { lines.append("  log        \(note)") }
        } else if logs != nil {
            lines.append("  log        the report states no crash time, so no log line can be placed before it")
        }
        for problem in report.problems { lines.append("  problem    \(problem)") }
        if let note = result.signature.note { lines.append("  note       \(note)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
