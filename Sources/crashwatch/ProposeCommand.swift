import AppCore
import ArgumentParser
import CrashAnalysis
import CrashInbox
import FixEngine
import Foundation

struct ProposeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propose",
        abstract: "The fix candidates for crash reports against a source tree, each compiled with your build.",
        discussion: """
            Analyses each report as `analyze` does, proposes the fix candidates the dashboard would (pattern \
            templates, debug logging, the fix-provider when --provider is given) and compiles each with the \
            compile_commands.json of --build-dir (or one found under the tree) in a scratch git worktree. Nothing in \
            the tree is changed. --json: an array, one object per report (Docs/analysis-json.md, "crashwatch propose --json").
            """)

    @Argument(help: "Crash report files.")
    var files: [String]

    @Option(help: "The source tree (a git repository) to propose against.")
    var source: String

    @Option(help: "The build folder holding compile_commands.json (default: found under the tree).")
    var buildDir: String?

    @Option(help: "A fix-provider command (Docs/fix-provider.md).")
    var provider: String?

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one crash report file") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("--source: source tree \(source) does not exist")
        }
    }

    struct Document: Encodable {
        var file: String
        var signature: String
        var groupID: String
        var candidates: [Candidate]
    }

    struct Candidate: Encodable {
        var source: String
        var title: String
        /// What the patch does and why, and what it leaves out.
        var explanation: String
        var confidence: Double
        var symptomOnly: Bool
        /// More logging: it fixes nothing (never applied by `auto`).
        var evidenceOnly: Bool
        /// Whether `auto` would apply it: it compiled and fixes a cause.
        var autoApplicable: Bool
        /// `compiles`, `fails`, `not-checked`, or absent without a patch.
        var compile: String?
        var compileDetail: String?
        var evidence: [String]
        var diff: String?
        var problem: String?

        init(_ candidate: FixCandidate) {
            source = candidate.source
            title = candidate.title
            explanation = candidate.explanation
            confidence = candidate.confidence
            symptomOnly = candidate.isSymptomOnly
            evidenceOnly = candidate.isEvidenceOnly
            autoApplicable = candidate.canBeAppliedAutomatically
            switch candidate.compileCheck {
            case .compiles(let units)?:
                compile = "compiles"
                compileDetail = units.joined(separator: ", ")
            case .fails(_, let error)?:
                compile = "fails"
                compileDetail = error
            case .notChecked(let why)?:
                compile = "not-checked"
                compileDetail = why
            case nil: break
            }
            evidence = candidate.evidence
            diff = candidate.diff
            problem = candidate.problem
        }
    }

    func run() async throws {
        let library = try RuleLibrary.load(directories: RuleLibrary.defaultDirectories())
        let qualifier = SourceTreeQualifier(root: source)
        let qualify = { @Sendable (method: String, file: String?) in qualifier.qualify(method: method, file: file) }
        let proposer = FixProposer(sourceRoot: source, buildDirectory: buildDir)
        var documents: [Document] = []
        var failures = 0
        for file in files {
            guard let text = AnalyzeCommand.readReport(file) else {
                failures += 1
                continue
            }
            let result = library.analyzer.analyze(text: text, file: file, qualify: qualify)
            let candidates = proposer.candidates(for: result, provider: provider.map(FixProvider.init(command:)))
            if json {
                documents.append(
                    Document(
                        file: file, signature: result.signature.signature, groupID: result.signature.groupKey,
                        candidates: candidates.map(Candidate.init)))
                continue
            }
            print(AnalyzeCommand.inert("\(file): \(result.signature.signature)"))
            for (index, candidate) in candidates.enumerated() {
                var line = "  \(index + 1). \(candidate.title) [\(candidate.source)]"
                if candidate.diff != nil {
                    line +=
                        " confidence \(Int(candidate.confidence * 100)) %\(candidate.isSymptomOnly ? ", symptom only" : "")\(candidate.isEvidenceOnly ? ", logging only" : "")"
                }
                print(AnalyzeCommand.inert(line))
                if !candidate.explanation.isEmpty { print(AnalyzeCommand.inert("     \(candidate.explanation)")) }
                if let check = candidate.compileCheck { print(AnalyzeCommand.inert("     \(check)")) }
                if let problem = candidate.problem { print(AnalyzeCommand.inert("     no patch: \(problem)")) }
                for evidence in candidate.evidence { print(AnalyzeCommand.inert("     evidence: \(evidence)")) }
                if let diff = candidate.diff {
                    print(
                        AnalyzeCommand.inert(diff.split(separator: "\n").map { "     \($0)" }.joined(separator: "\n")))
                }
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(documents), as: UTF8.self))
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
