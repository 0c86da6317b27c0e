import AppCore
import ArgumentParser
import CoreDumps
import CrashStore
import CrashwatchKit
import Dashboard
import Foundation

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Follow Server.log and Playerbot.log live (the default command).")

    @OptionGroup var common: CommonOptions

    @Option(name: .long, help: "Folder holding Server.log and Playerbot.log (or Playerbots.log).")
    var logs: String?

    @Option(name: .long, help: "Server log file name in the logs folder, or a full path.")
    var serverLog: String?

    @Option(name: .long, help: "Bot log file name in the logs folder, or a full path.")
    var playerbotLog: String?

    @Option(
        name: .long,
        help: "Crash folder to watch (default: crashes from crashwatch.toml, or a Crashes folder by the logs).")
    var crashes: [String] = []

    @Option(name: .long, help: "History database (default: $XDG_STATE_HOME/crashwatch/history.sqlite).")
    var history: String?

    @Option(name: .long, help: "TrinityCore source tree (a git repository) that fixes are proposed against.")
    var source: String?

    func run() async throws {
        let config = try common.loadConfig()
        guard
            let (sources, logNotes) = try LogSourceSpec.panes(
                settings: config, logs: logs, serverLog: serverLog, playerbotLog: playerbotLog, key: "--logs",
                configFile: config.file)
        else {
            // Nothing configured: show what crashwatch does on a simulated server instead of an empty screen.
            var demo = DemoCommand()
            demo.common = common
            demo.notice = "no logs configured (--logs DIR or logs = \"…\" in crashwatch.toml): showing the demo"
            try await demo.run()
            return
        }
        let folder = logs ?? config.logs ?? (sources.first?.path as NSString?)?.deletingLastPathComponent
        let (theme, themeWarning) = common.resolveTheme(config)
        let (triage, rulesWarning) = TriageRules.model(config: config, directories: RuleLibrary.defaultDirectories())
        // Every start-up problem is shown, in one message: one must not hide another.
        var problems =
            [themeWarning, rulesWarning].compactMap { $0 } + logNotes.filter { !$0.hasPrefix("read the logs") }
        if let source, !FileManager.default.fileExists(atPath: source) {
            throw RuleFileError(key: "--source", problem: "source tree \(source) does not exist")
        }
        for folder in crashes where !FileManager.default.fileExists(atPath: folder) {
            throw RuleFileError(key: "--crashes", problem: "crash folder \(folder) does not exist")
        }
        let environment = ProcessInfo.processInfo.environment
        var crashSetup: CrashSetup?
        do {
            crashSetup = try CrashSetup.make(
                folders: crashes.isEmpty ? config.crashFolders(logsFolder: folder) : crashes,
                historyPath: history ?? config.historyPath(environment: environment),
                ruleDirectories: RuleLibrary.defaultDirectories(),
                createHistoryFolder: history == nil && config.history == nil, origin: try config.historyOrigin())
            crashSetup?.sourceRoot = source ?? config.source
            crashSetup?.buildDirectory = config.buildDirectory
            await crashSetup?.history?.useSourceTree(source ?? config.source)
            if let restored = await crashSetup?.recoverInterruptedApply() { problems.append(restored) }
            await crashSetup?.recordFixCommits()
            if let resigned = await crashSetup?.resignOldGroups() { problems.append(resigned) }
            crashSetup?.fixProvider = config.fixProvider
            crashSetup?.reportsFolder = config.reportsFolder(environment: environment)
            crashSetup?.readState = InboxReadState(path: InboxReadState.defaultPath(environment: environment))
        } catch {
            problems.append("\(error); the crash inbox is off")
        }
        // Cores the kernel writes into `cores` become reports in the first crash folder, and so reach the inbox.
        var coreWatch: Task<Void, Never>?
        defer { coreWatch?.cancel() }
        do {
            if let watcher = try config.coreFolderWatcher(crashFolder: crashSetup?.folders.first) {
                coreWatch = Task { await watcher.run(onReport: { _ in }) }
            }
        } catch {
            problems.append("\(error)")
        }
        let (reading, formatsWarning) = LogFormatsLoader.reading(directories: RuleLibrary.defaultDirectories())
        if let formatsWarning { problems.append(formatsWarning) }
        let message = problems.isEmpty ? nil : StatusMessage(problems.joined(separator: " · "), isProblem: true)
        try await DashboardApp(
            sources: sources, theme: theme, triage: triage, crashSetup: crashSetup, reading: reading,
            startupMessage: message, notifier: Notifier(settings: config), bell: config.bell, mouse: config.mouse,
            runStore: RunStore.standard(environment: ProcessInfo.processInfo.environment)
        ).run()
    }
}
