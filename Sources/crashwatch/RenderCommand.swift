import AppCore
import ArgumentParser
import CrashwatchKit
import Dashboard
import Foundation
import TerminalUI

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw one dashboard frame as plain text, without a terminal.",
        discussion: """
            Reads the logs to their end (replaying them with their own timestamps) and prints the frame. With no \
            logs configured it draws the demo.
            """)

    @OptionGroup var common: CommonOptions

    @Option(
        name: .long, help: "Frame size as WIDTHxHEIGHT.",
        transform: { text in
            guard let size = Size(parsing: text) else {
                throw ValidationError("--size must look like 120x40, got \(text)")
            }
            return size
        })
    var size = Size(width: 120, height: 40)

    @Option(name: .long, help: "Folder holding Server.log and Playerbot.log.")
    var logs: String?

    @Option(
        name: .long,
        help:
            "Draw one pane alone: server, playerbot, timeline (every log merged by time), errors, warnings, inbox or history."
    )
    var pane: PaneChoice?

    @Option(name: .long, help: "Crash folder whose reports fill the inbox and history panes.")
    var crashes: [String] = []

    @Option(name: .long, help: "History database to show (a copy is used; the file is not changed).")
    var history: String?

    enum PaneChoice: String, ExpressibleByArgument, CaseIterable {
        case server, playerbot, timeline, errors, warnings, inbox, history

        var kind: PaneKind {
            switch self {
            case .server: .serverLog
            case .playerbot, .timeline: .playerbotLog
            case .errors: .errors
            case .warnings: .warnings
            case .inbox: .inbox
            case .history: .history
            }
        }
    }

    func run() async throws {
        let config = try common.loadConfig()
        let (triage, _) = TriageRules.model(config: config, directories: RuleLibrary.defaultDirectories())
        var state: DashboardState
        if let (sources, _) = try LogSourceSpec.panes(
            settings: config, logs: logs, serverLog: nil, playerbotLog: nil, key: "--logs", configFile: config.file)
        {
            state = DashboardSnapshot.fromFiles(
                sources, size: size, triage: triage,
                reading: LogFormatsLoader.reading(directories: RuleLibrary.defaultDirectories()).0)
        } else {
            state = DashboardSnapshot.demo(size: size, triage: triage)
        }
        for folder in crashes where !FileManager.default.fileExists(atPath: folder) {
            throw RuleFileError(key: "--crashes", problem: "crash folder \(folder) does not exist")
        }
        if !crashes.isEmpty || history != nil {
            state = try await DashboardSnapshot.addingCrashes(
                to: state, folders: crashes, historyPath: history, ruleDirectories: RuleLibrary.defaultDirectories())
        }
        if let pane {
            if pane == .timeline {
                guard let timeline = state.timelineIndex else {
                    throw ValidationError("--pane timeline merges two or more logs; one is configured")
                }
                state.secondSlot = timeline
            }
            state.focus = pane.kind
            print(DashboardRenderer.render(state, only: pane.kind).text, terminator: "")
        } else {
            print(DashboardRenderer.render(state).text, terminator: "")
        }
    }
}
