public import CoreDumps
public import CrashAnalysis
import CrashwatchKit
public import FixEngine
import Foundation

/// The loop's effects on the real world: the server, its crash folder, the source tree (through git), and the
/// build and test commands.
public actor SupervisedEffects: LoopEffects {
    public struct Configuration: Sendable {
        public var server: ProcessSpec
        public var build: ProcessSpec?
        public var test: ProcessSpec?
        public var crashFolder: String
        public var sourceRoot: String
        /// Where `compile_commands.json` is (default: looked for under the source tree).
        public var buildDirectory: String?
        /// How long the server must run without crashing to count as survived.
        public var retestTime: Duration = .seconds(300)
        public var freezeAfter: Duration? = .seconds(120)
        public var commandTimeout: Duration = .seconds(30 * 60)
        /// Start the server with cores allowed and, when it dies of a signal without writing a report, make one
        /// from its core with gdb.
        public var captureCores = true
        /// Run the server inside gdb (for hosts where cores cannot be turned on).
        public var runUnderGdb = false
        public var gdb = Gdb()
        /// The server binary gdb reads symbols from; by default the crashed process's own executable.
        public var serverBinary: String?
        /// Cores kept per crash group (nil: all).
        public var keepCores: Int? = 3

        public init(
            server: ProcessSpec, build: ProcessSpec?, test: ProcessSpec?, crashFolder: String, sourceRoot: String
        ) {
            self.server = server
            self.build = build
            self.test = test
            self.crashFolder = crashFolder
            self.sourceRoot = sourceRoot
        }
    }

    private let configuration: Configuration
    private let analyzer: CrashAnalyzer
    private let decide: @Sendable ([FixCandidate], CrashAnalysisResult) async -> Approval
    private let output: @Sendable (String, Bool) -> Void
    private let evidence: @Sendable () -> LoopEvidence
    private var lastApplied: GitPatchApplier.Applied?

    /// - Parameters:
    ///   - decide: asks the user (semi mode, or auto mode when the top fix is not trusted).
    ///   - output: the server's and commands' output lines, for a pane.
    ///   - evidence: the server's log lines, read when a crash is analysed: what it logged before it died (bot
    ///     actions, errors) is evidence as much as the stack.
    public init(
        configuration: Configuration, analyzer: CrashAnalyzer,
        decide: @escaping @Sendable ([FixCandidate], CrashAnalysisResult) async -> Approval,
        output: @escaping @Sendable (String, Bool) -> Void = { _, _ in },
        evidence: @escaping @Sendable () -> LoopEvidence = { LoopEvidence() }
    ) {
        self.configuration = configuration
        self.analyzer = analyzer
        self.decide = decide
        self.output = output
        self.evidence = evidence
    }

    /// What the loop learnt about its last server crash besides the report (no core, gdb missing, cores kept).
    public private(set) var lastCaptureNote: String?

    public func runServer() async -> ServerOutcome {
        let before = Set(Self.reports(in: configuration.crashFolder))
        var runner = CommandRunner(timeout: configuration.retestTime, freezeAfter: configuration.freezeAfter)
        runner.stopGrace = .seconds(10)
        let capture = CoreCapture(
            locator: .current(extractFolder: "\(configuration.crashFolder)/cores"), gdb: configuration.gdb,
            crashFolder: configuration.crashFolder, serverBinary: configuration.serverBinary)
        let watch = ServerOutputWatch(output: output)
        var spec = configuration.server
        if configuration.runUnderGdb {
            spec.command = CoreCapture.shellLine(configuration.gdb.runUnderArguments(shellCommand: spec.command))
        } else {
            spec.allowCoreDumps = configuration.captureCores
        }
        let freezeReport = LockBox<String?>(nil)
        if configuration.captureCores || configuration.runUnderGdb {
            runner.onFreeze = { pid in
                let captured = await capture.captureFreeze(
                    pid: pid, buildLine: watch.buildLine, lastOutput: watch.lastLines)
                freezeReport.withLock { $0 = captured.text }
            }
        }
        lastCaptureNote = nil
        let outcome: CommandRunner.Outcome
        do {
            outcome = try await runner.run(spec, onLine: watch.receive)
        } catch {
            return .crashed(report: "the server could not be started: \(error)")
        }
        if let report = freezeReport.withLock({ $0 }) { return .crashed(report: report) }
        if configuration.runUnderGdb, let stacks = watch.gdbStacks {
            var report = CoreReport(
                kind: .crash, time: CivilTime(secondsSinceEpoch: WallClock.localSeconds()), pid: outcome.pid)
            report.binary = configuration.serverBinary
            report.buildLine = watch.buildLine
            report.gdbText = stacks
            _ = try? report.write(into: configuration.crashFolder)
            return .crashed(report: report.text)
        }
        // A report written by the crashing server is the best evidence; wait briefly for it to be complete. A Linux
        // server that died of a signal writes none: its core is the evidence then.
        let waitForReport = outcome.crashSignal == nil || !configuration.captureCores ? 50 : 3
        for _ in 0..<waitForReport {
            let new = Self.reports(in: configuration.crashFolder).filter { !before.contains($0) }
            if let newest = new.sorted().last, let text = try? String(contentsOfFile: newest, encoding: .utf8),
                !text.isEmpty
            {
                return .crashed(report: text)
            }
            if outcome.termination == .timedOut || outcome.termination.isSuccess { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        if configuration.captureCores, let signal = outcome.crashSignal {
            let captured = await capture.capture(
                CoreCapture.Crash(
                    processes: outcome.processes, startedAt: outcome.startedAt, signal: signal,
                    buildLine: watch.buildLine, lastOutput: outcome.lastLines, fallbackPID: outcome.pid,
                    workingDirectory: spec.workingDirectory))
            let analyzer = analyzer
            let kept = CoreRetention(keepPerGroup: configuration.keepCores).apply(
                crashFolder: configuration.crashFolder, groupKey: { analyzer.analyze(text: $0).signature.groupKey })
            lastCaptureNote = [captured.problem, kept.kept > 0 ? kept.description : nil].compactMap { $0 }.joined(
                separator: "; ")
            // Said with the server's output (the loop pane, `loop --headless`): what the report lacks, the cores kept.
            if let note = lastCaptureNote, !note.isEmpty { output("crashwatch: \(note)", true) }
            return .crashed(report: captured.text)
        }
        switch outcome.termination {
        case .timedOut:
            return .survived
        case .exited(0):
            // Surviving means running for the whole retest time; a server that stops by itself is a result to report.
            let seconds =
                Double(outcome.duration.components.seconds)
                + Double(outcome.duration.components.attoseconds) / 1e18
            return .exitedEarly(
                detail:
                    "exited with status 0 after \(String(format: "%.1f", seconds)) s, before the end of the retest time"
            )
        default:
            // No report: the end of the output stands in for one (an assert message goes to stderr).
            return .crashed(
                report: (["the server \(outcome.termination)"] + outcome.lastLines.suffix(60)).joined(separator: "\n"))
        }
    }

    public nonisolated func analyse(_ report: String) async -> CrashAnalysisResult {
        let logs = evidence()
        // The loop caught this crash just now: a report that states no time (a gdb backtrace) happened now.
        return analyzer.analyze(
            text: report, timeIfUnstated: WallClock.localSeconds(Date()), logLines: logs.lines,
            untimedLogs: logs.untimed)
    }

    public nonisolated func propose(_ result: CrashAnalysisResult) async -> [FixCandidate] {
        FixProposer(sourceRoot: configuration.sourceRoot, buildDirectory: configuration.buildDirectory).candidates(
            for: result)
    }

    public func approve(_ candidates: [FixCandidate], _ result: CrashAnalysisResult) async -> Approval {
        await decide(candidates, result)
    }

    public func apply(_ candidate: FixCandidate, _ result: CrashAnalysisResult) async -> String? {
        guard let diff = candidate.diff else { return "the candidate has no patch" }
        do {
            lastApplied = try GitPatchApplier(root: configuration.sourceRoot).apply(
                diff: diff, groupID: result.signature.groupKey,
                message: candidate.commitMessage(
                    signature: result.signature.signature, groupKey: result.signature.groupKey))
            return nil
        } catch {
            return error.description
        }
    }

    /// Undoes the last applied fix with a revert commit (after a failed build, say).
    ///
    /// Returns what happened.
    public func revertLastFix() -> String {
        guard let applied = lastApplied else { return "no fix was applied" }
        do {
            try GitPatchApplier(root: configuration.sourceRoot).revert(commit: applied.commit)
            lastApplied = nil
            return "reverted \(applied.commit.prefix(12)) on \(applied.branch)"
        } catch {
            return "revert failed: \(error)"
        }
    }

    public func build() async -> String? { await runCommand(configuration.build) }
    public func test() async -> String? { await runCommand(configuration.test) }

    private func runCommand(_ spec: ProcessSpec?) async -> String? {
        guard let spec else { return nil }
        do {
            let outcome = try await CommandRunner(timeout: configuration.commandTimeout).run(spec, onLine: output)
            return outcome.termination.isSuccess
                ? nil : "\(outcome.termination): \(outcome.lastLines.suffix(3).joined(separator: " / "))"
        } catch {
            return "\(error)"
        }
    }

    static func reports(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { ($0.hasSuffix(".txt") || $0.hasSuffix(".log")) && !$0.hasPrefix(".") }.map {
            "\(folder)/\($0)"
        }
    }
}
