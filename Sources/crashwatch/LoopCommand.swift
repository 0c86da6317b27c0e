import AppCore
import ArgumentParser
import CrashAnalysis
import CrashStore
import CrashwatchKit
import Dashboard
import Demo
import FixEngine
import Foundation
import Supervisor
import TerminalUI

/// `crashwatch loop`: run the server, catch the crash, analyse, propose, approve, apply, rebuild, retest.
struct LoopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loop",
        abstract: "Run the worldserver in a supervised crash → fix → rebuild → retest loop.",
        discussion: """
            Uses server, server-dir, build, test, crashes and source from crashwatch.toml. --headless prints one line \
            per step; in semi mode it asks on the terminal before applying a fix.
            """)

    @OptionGroup var common: CommonOptions

    @Flag(help: "Print progress lines instead of the dashboard.")
    var headless = false

    @Option(help: "Seconds the server must run without crashing to count as fixed.")
    var retest: Int = 300

    @Option(help: "Maximum iterations.")
    var maxIterations: Int = 10

    @Option(
        help:
            "manual (only analyse), semi (ask before applying) or auto (apply trusted fixes); default: mode from crashwatch.toml, else semi."
    )
    var mode: String?

    func run() async throws {
        // What the server starts and leaves behind becomes crashwatch's to stop, not init's.
        Subreaper.become()
        let config = try common.loadConfig()
        guard let server = config.server else {
            throw RuleFileError(file: config.file, key: "server", problem: "the loop needs the server command")
        }
        guard let source = config.source else {
            throw RuleFileError(file: config.file, key: "source", problem: "the loop needs the source tree")
        }
        guard let crashFolder = config.crashes.first ?? config.serverDirectory.map({ "\($0)/Crashes" }) else {
            throw RuleFileError(
                file: config.file, key: "crashes", problem: "the loop needs the crash folder (crashes or server-dir)")
        }
        let environment = ProcessInfo.processInfo.environment
        let library = try RuleLibrary.load(directories: RuleLibrary.defaultDirectories())
        var effectsConfig = SupervisedEffects.Configuration(
            server: ProcessSpec(command: server, workingDirectory: config.serverDirectory),
            build: config.build.map { ProcessSpec(command: $0, workingDirectory: source) },
            test: config.test.map { ProcessSpec(command: $0, workingDirectory: source) },
            crashFolder: crashFolder, sourceRoot: source)
        effectsConfig.retestTime = .seconds(retest)
        config.applyCrashCapture(to: &effectsConfig)
        effectsConfig.buildDirectory = config.buildDirectory
        var settings = CrashLoop.Settings()
        let modeName = mode ?? config.mode ?? "semi"
        settings.mode = try HeadlessLoop.mode(modeName)
        settings.maxIterations = maxIterations
        let reports = config.reportsFolder(environment: environment)
        try? FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        // The logs (when configured): evidence for the loop's analysis, and the dashboard's panes.
        let sources =
            try LogSourceSpec.panes(
                settings: config,
                logs: config.logs == nil && config.worldserverConf == nil ? config.serverDirectory : nil,
                serverLog: nil, playerbotLog: nil, key: "logs", configFile: config.file)?.sources
            ?? LogSourceSpec.panes(logsFolder: nil, configFile: config.file)
        let reading = LogFormatsLoader.reading(directories: RuleLibrary.defaultDirectories()).0
        if headless {
            // The loop applies fixes too: a tree left half-way by an earlier stop is put back first.
            if let restored = GitPatchApplier(root: source).recoverInterruptedApply() {
                print("crashwatch: \(restored)")
            }
            let evidence = LoopSetup.evidence(sources, reading: reading)
            let effects = SupervisedEffects(
                configuration: effectsConfig, analyzer: library.analyzer, decide: HeadlessLoop.askOnTerminal,
                evidence: evidence)
            let reason = await HeadlessLoop.run(
                settings: settings, effects: effects, reportPath: "\(reports)/loop-report.md")
            if let notifier = Notifier(settings: config),
                case .failed(let why) = await notifier.send(
                    NotificationEvent.forLoop(reason, origin: try config.historyOrigin()))
            {
                print("crashwatch: \(why)")
            }
            if case .fixed(let signature) = reason {
                if config.pullRequest {
                    print(
                        await PullRequest.openDraft(
                            sourceRoot: source, title: "crashwatch: fix \(signature)",
                            body: (try? String(contentsOfFile: "\(reports)/loop-report.md", encoding: .utf8)) ?? ""))
                }
                return
            }
            if case .survived = reason { return }
            throw ExitCode(1)
        }
        var crashSetup = try CrashSetup.make(
            folders: [crashFolder], historyPath: config.historyPath(environment: environment),
            ruleDirectories: RuleLibrary.defaultDirectories(), createHistoryFolder: config.history == nil,
            origin: try config.historyOrigin())
        crashSetup.sourceRoot = source
        crashSetup.buildDirectory = config.buildDirectory
        await crashSetup.history?.useSourceTree(source)
        let restored = await crashSetup.recoverInterruptedApply()
        await crashSetup.recordFixCommits()
        if let resigned = await crashSetup.resignOldGroups() { print("crashwatch: \(resigned)") }
        crashSetup.fixProvider = config.fixProvider
        crashSetup.reportsFolder = reports
        crashSetup.readState = InboxReadState(path: InboxReadState.defaultPath(environment: environment))
        let (theme, themeWarning) = common.resolveTheme(config)
        let (triage, _) = TriageRules.model(config: config, directories: RuleLibrary.defaultDirectories())
        var loop = LoopSetup(
            settings: settings, configuration: effectsConfig, analyzer: library.analyzer, modeName: modeName,
            reportPath: "\(reports)/loop-report.md")
        loop.pullRequest = config.pullRequest
        loop.logSources = sources
        loop.reading = reading
        try await DashboardApp(
            sources: sources, theme: theme, triage: triage, crashSetup: crashSetup,
            reading: reading, loop: loop,
            startupMessage: (restored ?? themeWarning).map { StatusMessage($0, isProblem: true) },
            notifier: Notifier(settings: config), bell: config.bell, mouse: config.mouse,
            runStore: RunStore.standard(environment: ProcessInfo.processInfo.environment)
        ).run()
    }
}

/// Runs the loop headless and prints one line per step; shared by `loop --headless` and `demo --headless`.
enum HeadlessLoop {
    static func run(settings: CrashLoop.Settings, effects: SupervisedEffects, reportPath: String?) async
        -> CrashLoop.StopReason
    {
        // INT, TERM and HUP stop the loop, which stops the server, build or test it is running (their whole process
        // groups) before crashwatch exits: nothing it started is left behind.
        let loop = Task {
            await CrashLoop(settings: settings).run(effects) { event in
                print("iteration \(event.iteration): \(event.step.rawValue) — \(event.detail)")
                fflush(nil)
            }
        }
        let stopSignals = StopSignals { loop.cancel() }
        let (reason, events) = await loop.value
        stopSignals.cancel()
        print("loop: \(reason)")
        if let reportPath {
            do {
                try LoopReport.write(reason: reason, events: events, to: reportPath)
                print("loop report: \(reportPath)")
            } catch {
                print("loop report: cannot write \(reportPath): \(error.localizedDescription)")
            }
        }
        return reason
    }

    /// Parses `manual`, `semi`, `auto` (threshold 0.5).
    static func mode(_ name: String) throws -> CrashLoop.Mode {
        switch name {
        case "manual": return .manual
        case "semi": return .semi
        case "auto": return .auto(threshold: 0.5)
        default: throw ValidationError("--mode must be manual, semi or auto")
        }
    }

    /// Asks on the terminal whether to apply the top candidate.
    static let askOnTerminal: @Sendable ([FixCandidate], CrashAnalysisResult) async -> Approval = {
        candidates, result in
        guard let top = candidates.first else { return .rejected(reason: "no candidate") }
        print(
            "crash: \(result.signature.signature)\nproposed: \(top.title)\(top.isSymptomOnly ? " (symptom only)" : "")\n\(top.diff ?? "")"
        )
        if let check = top.compileCheck { print(check) }
        guard top.canBeApproved else {
            print("not offered for approval: it does not compile with your build")
            return .rejected(reason: "the top candidate does not compile")
        }
        print("apply it? [y/N] ", terminator: "")
        fflush(nil)
        guard let answer = readLine(), answer.lowercased().hasPrefix("y") else {
            return .rejected(reason: "declined on the terminal")
        }
        return .approved(top)
    }
}
