import AppCore
import ArgumentParser
import CoreDumps
import CrashwatchKit
import Dashboard
import Demo
import Foundation
import Supervisor
import TerminalUI

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract:
            "A simulated worldserver that crashes, in the dashboard with the supervised loop that fixes it (--headless: without a terminal)."
    )

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Lines per second the simulated server writes (both logs together).")
    var rate: Double = 40

    @Option(name: .long, help: "Folder for the simulated logs (default: a new temporary folder, removed at exit).")
    var folder: String?

    @Option(name: .long, help: "Seed for the simulated story (default: random).")
    var seed: UInt64?

    @Option(name: .long, help: "Seconds between simulated crashes (0: none).")
    var crashEvery: Int = 45

    @Flag(help: "Run the demo crash loop without a terminal: one line per step; exit 0 only when the crash is fixed.")
    var headless = false

    @Flag(help: "No supervised loop: the simulated server crashes every --crash-every seconds instead.")
    var noLoop = false

    @Option(
        help:
            "Loop mode: auto (apply the trusted fix), semi (ask; the default in the dashboard) or manual. --headless defaults to auto."
    )
    var mode: String?

    @Option(help: "Seconds the rebuilt demo server must survive (with --headless).")
    var retest: Int = 4

    @Option(
        help: "Seconds the demo server runs before its first crash (default: 20 in the dashboard, 1 with --headless).")
    var crashAfter: Double?

    @Flag(help: "Use the simulated server even where a C++ compiler and gdb would build and crash a real one.")
    var simulated = false

    /// Shown in the bottom bar at start (used when `watch` falls back to the demo).
    var notice: String?

    enum CodingKeys: String, CodingKey {
        case common, rate, folder, seed, crashEvery, headless, noLoop, mode, retest, crashAfter, simulated
    }

    func validate() throws {
        guard rate > 0, rate <= 1_000_000 else { throw ValidationError("--rate must be between 0 and 1000000 lines/s") }
    }

    func run() async throws {
        // What the server starts and leaves behind becomes crashwatch's to stop, not init's.
        Subreaper.become()
        if headless {
            try await runHeadlessLoop()
            return
        }
        let config = try common.loadConfig()
        // A folder of the demo's own is removed at exit; one the user named is kept.
        let scratch = folder == nil ? TemporaryDirectory("crashwatch-demo") : nil
        defer { withExtendedLifetime(scratch) {} }
        let folder = folder ?? scratch!.path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let seed = seed ?? .random(in: 1...UInt64.max)
        let world =
            noLoop ? nil : try demoWorld(in: folder, retestSeconds: 10, seed: seed, crashAfter: crashAfter ?? 20)
        let loop = try world.map { try makeLoop(world: $0.configuration, folder: folder, mode: mode ?? "semi") }
        try FileManager.default.createDirectory(atPath: "\(folder)/Crashes", withIntermediateDirectories: true)
        // Under the loop the demo server writes both logs itself (so its bot log stops when it is down).
        let writer: Task<Void, any Error>? =
            world != nil
            ? nil
            : Task {
                try await SimulatedWorldServer(
                    folder: folder, linesPerSecond: rate, seed: seed,
                    crashEvery: !noLoop || crashEvery <= 0 ? nil : .seconds(crashEvery), writesServerLog: noLoop
                ).run()
            }
        defer { writer?.cancel() }
        let sources = try LogSourceSpec.panes(logsFolder: folder)
        let (theme, themeWarning) = common.resolveTheme(config)
        let (triage, rulesWarning) = TriageRules.model(config: config, directories: RuleLibrary.defaultDirectories())
        let message =
            (themeWarning ?? rulesWarning).map { StatusMessage($0, isProblem: true) }
            ?? (notice ?? world?.note).map { StatusMessage($0) }
        let banner =
            world?.isReal == true
            ? "demo: a real C++ worldserver built in \(folder)/tree, crashing after \(Int(crashAfter ?? 20)) s"
            : "demo: simulated worldserver, \(Int(rate)) lines/s in \(folder)"
        // The demo keeps its own history beside its logs, so it never mixes with a real server's.
        let crashSetup = try? CrashSetup.make(
            folders: ["\(folder)/Crashes"], historyPath: "\(folder)/history.sqlite",
            ruleDirectories: RuleLibrary.defaultDirectories())
        try await DashboardApp(
            sources: sources, theme: theme, triage: triage, crashSetup: crashSetup,
            reading: LogFormatsLoader.reading(directories: RuleLibrary.defaultDirectories()).0, loop: loop,
            startupMessage: message, banner: banner
        ).run()
    }

    /// The demo story as a loop: the server crashes in Unit::DealDamage, the bot-login-setup template fixes the demo
    /// tree's bot login, the build picks the fix up, and the retest survives.
    private func runHeadlessLoop() async throws {
        let scratch = folder == nil ? TemporaryDirectory("crashwatch-demo") : nil
        defer { withExtendedLifetime(scratch) {} }
        let folder = folder ?? scratch!.path
        try FileManager.default.createDirectory(atPath: "\(folder)/Crashes", withIntermediateDirectories: true)
        let world = try demoWorld(
            in: folder, retestSeconds: retest, seed: seed ?? .random(in: 1...UInt64.max), crashAfter: crashAfter ?? 1)
        print(world.note)
        let configuration = world.configuration
        let tree = configuration.sourceRoot
        let library = try RuleLibrary.load(directories: RuleLibrary.defaultDirectories())
        let effects = SupervisedEffects(
            configuration: configuration, analyzer: library.analyzer, decide: HeadlessLoop.askOnTerminal,
            evidence: LoopSetup.evidence(
                try LogSourceSpec.panes(logsFolder: folder),
                reading: LogFormatsLoader.reading(directories: RuleLibrary.defaultDirectories()).0))
        var settings = CrashLoop.Settings()
        settings.mode = try HeadlessLoop.mode(mode ?? "auto")
        settings.maxIterations = 5
        print("demo loop in \(folder): server \(tree) → crash → fix → rebuild → retest (\(retest) s)")
        // The demo's own folder is removed at exit; its report is kept beside it, so the path printed stays true.
        let reportPath =
            scratch != nil
            ? "\((folder as NSString).deletingLastPathComponent)/\((folder as NSString).lastPathComponent)-loop-report.md"
            : "\(folder)/loop-report.md"
        let reason = await HeadlessLoop.run(settings: settings, effects: effects, reportPath: reportPath)
        guard case .fixed = reason else { throw ExitCode(1) }
    }

    /// The demo loop for the dashboard: the user approves the fix in the preview (semi mode).
    private func makeLoop(world configuration: SupervisedEffects.Configuration, folder: String, mode: String) throws
        -> LoopSetup
    {
        var settings = CrashLoop.Settings()
        settings.mode = try HeadlessLoop.mode(mode)
        settings.maxIterations = 5
        var loop = LoopSetup(
            settings: settings, configuration: configuration,
            analyzer: try RuleLibrary.load(directories: RuleLibrary.defaultDirectories()).analyzer, modeName: mode,
            reportPath: "\(folder)/loop-report.md")
        loop.logSources = try LogSourceSpec.panes(logsFolder: folder)
        loop.reading = LogFormatsLoader.reading(directories: RuleLibrary.defaultDirectories()).0
        return loop
    }

    /// The demo's world: its configuration, whether it is the real C++ program, and one line saying which.
    struct DemoWorld {
        var configuration: SupervisedEffects.Configuration
        var isReal: Bool
        var note: String
    }

    /// The demo's world in `folder`: a fresh demo tree (built with the bug).
    ///
    /// Where a C++ compiler and gdb exist, the tree's program is compiled for real, crashes with a real SIGSEGV, and
    /// its core is symbolised by gdb; otherwise this executable's hidden `demo-server` and `demo-build` commands
    /// simulate it.
    private func demoWorld(in folder: String, retestSeconds: Int, seed: UInt64, crashAfter: Double) throws -> DemoWorld
    {
        let tree = "\(folder)/tree"
        try DemoSourceTree.create(at: tree)
        try "buggy\n".write(toFile: "\(folder)/build-state", atomically: true, encoding: .utf8)
        let me = DataDirectories.executablePath
        var configuration = SupervisedEffects.Configuration(
            server: ProcessSpec(
                command: "'\(me)' demo-server --folder '\(folder)' --crash-after \(crashAfter) --seed \(seed)"),
            build: ProcessSpec(command: "'\(me)' demo-build --tree '\(tree)' --folder '\(folder)'"),
            test: nil, crashFolder: "\(folder)/Crashes", sourceRoot: tree)
        // A retest shorter than the time the bug takes to show would call the unfixed build "fixed".
        let retest = max(Double(retestSeconds), crashAfter + 3)
        configuration.retestTime = .milliseconds(Int(retest * 1000))
        configuration.freezeAfter = .seconds(30)
        configuration.captureCores = false
        if simulated { return DemoWorld(configuration: configuration, isReal: false, note: "demo: simulated server") }
        let tools: DemoToolchain
        switch DemoToolchain.find() {
        case .success(let found): tools = found
        case .failure(let missing): return DemoWorld(configuration: configuration, isReal: false, note: "\(missing)")
        }
        let build = DemoProgram.buildCommand(compiler: tools.compiler)
        let built = try? ChildProcess.run(["sh", "-c", "cd '\(tree)' && \(build)"], timeout: .seconds(300))
        guard let built, built.succeeded else {
            let why = built?.errorText.split(separator: "\n").first.map(String.init) ?? "the compiler did not run"
            return DemoWorld(
                configuration: configuration, isReal: false,
                note: "simulated demo server: the demo program did not compile with \(tools.compiler): \(why)")
        }
        configuration.server = ProcessSpec(
            command:
                "'\(tree)/\(DemoProgram.binary)' --logs '\(folder)' --seed \(seed) --crash-after \(crashAfter) --rate \(rate)",
            workingDirectory: folder)
        configuration.build = ProcessSpec(command: build, workingDirectory: tree)
        try? DemoProgram.compileDatabase(tree: tree, compiler: tools.compiler).write(
            toFile: "\(tree)/build/compile_commands.json", atomically: true, encoding: .utf8)
        configuration.serverBinary = "\(tree)/\(DemoProgram.binary)"
        configuration.gdb = Gdb(executable: tools.gdb)
        // A core where the kernel writes files; where it hands cores to a collector, the server runs under gdb.
        if case .file = CorePattern.current() {
            configuration.captureCores = true
        } else {
            configuration.runUnderGdb = true
        }
        return DemoWorld(
            configuration: configuration, isReal: true,
            note:
                "demo: real C++ worldserver built with \((tools.compiler as NSString).lastPathComponent); it crashes after \(crashAfter.formatted()) s, \(configuration.runUnderGdb ? "under gdb" : "its core read by gdb"); each run is given \(retest.formatted()) s"
        )
    }
}
