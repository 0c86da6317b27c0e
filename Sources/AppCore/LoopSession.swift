public import CrashAnalysis
public import FixEngine
import Foundation
public import Supervisor

/// One supervised loop run for the dashboard: the loop's effects wired to the configured world, the report written at
/// the end, and the draft pull request opened when asked.
///
/// The UI supplies only the questions it answers.
public struct LoopSession: Sendable {
    public let setup: LoopSetup
    /// The world the loop acts on; also what reverts its last fix when the user asks.
    public let effects: SupervisedEffects

    /// How a run ended, and what was done with it.
    public struct Ending: Sendable {
        public var reason: CrashLoop.StopReason
        public var reportPath: String?
        /// A problem writing the report, or what `gh` answered.
        public var notes: [String] = []
    }

    /// - Parameters:
    ///   - decide: asks the user about the candidates for a crash (the fix preview).
    ///   - output: each line the server, build or test printed (standard error flagged).
    public init(
        setup: LoopSetup,
        decide: @escaping @Sendable ([FixCandidate], CrashAnalysisResult) async -> Approval,
        output: @escaping @Sendable (String, Bool) -> Void
    ) {
        self.setup = setup
        effects = SupervisedEffects(
            configuration: setup.configuration, analyzer: setup.analyzer, decide: decide, output: output,
            evidence: setup.evidence)
    }

    /// Runs the loop to its end; `progress` gets each step as it happens.
    public func run(progress: @escaping @Sendable (CrashLoop.Event) async -> Void) async -> Ending {
        let (reason, events) = await CrashLoop(settings: setup.settings).run(effects, progress: progress)
        var ending = Ending(reason: reason)
        if let path = setup.reportPath {
            do {
                try LoopReport.write(reason: reason, events: events, to: path)
                ending.reportPath = path
            } catch {
                ending.notes.append("cannot write the loop report \(path): \(error.localizedDescription)")
            }
        }
        if case .fixed(let signature) = reason, setup.pullRequest {
            let body = ending.reportPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
            ending.notes.append(
                await PullRequest.openDraft(
                    sourceRoot: setup.configuration.sourceRoot, title: "crashwatch: fix \(signature)", body: body))
        }
        return ending
    }
}
