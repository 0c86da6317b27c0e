import AppCore
import ArgumentParser
import CrashStore
import CrashwatchKit
import Foundation
import LogWatch

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the crash groups of the history database.",
        subcommands: [HistoryListCommand.self, HistoryShowCommand.self],
        defaultSubcommand: HistoryListCommand.self)
}

/// Options shared by the history commands: where the database is.
struct HistoryOptions: ParsableArguments {
    @OptionGroup var common: CommonOptions

    @Option(
        help:
            "History database (default: history from crashwatch.toml, else $XDG_STATE_HOME/crashwatch/history.sqlite).")
    var history: String?

    func open() throws -> CrashHistory {
        let config = try common.loadConfig()
        let path = history ?? config.historyPath(environment: ProcessInfo.processInfo.environment)
        guard FileManager.default.fileExists(atPath: path) else {
            throw RuleFileError(
                key: history != nil ? "--history" : "history", problem: "no history database at \(path) yet")
        }
        // Listing and showing only read: a foreign SQLite file is refused, never given crashwatch's tables.
        return try CrashHistory(path: path, mode: .readOnly)
    }
}

struct HistoryListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List crash groups, most recent first.")

    @OptionGroup var options: HistoryOptions

    @Flag(help: "Print JSON (an array of groups).")
    var json = false

    @Option(help: "Only groups in this state: new, ongoing, resolved, regressed, ignored.")
    var state: String?

    @Option(help: "Only groups seen since this date (YYYY-MM-DD).")
    var since: String?

    @Option(help: "Sort by lastSeen, count or firstSeen.")
    var sort: String = "lastSeen"

    func run() async throws {
        let groupState = try state.map { name in
            guard let value = GroupState(rawValue: name) else {
                throw ValidationError(
                    "--state must be one of \(GroupState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return value
        }
        guard let order = CrashHistory.Sort(rawValue: sort) else {
            throw ValidationError("--sort must be lastSeen, count or firstSeen")
        }
        let sinceSeconds = try since.map { text -> Int64 in
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { throw ValidationError("--since must look like 2025-10-31") }
            return CivilTime(year: parts[0], month: parts[1], day: parts[2], hour: 0, minute: 0, second: 0)
                .secondsSinceEpoch
        }
        let history = try options.open()
        var groups = try await history.groups(sort: order, state: groupState, limit: 100_000)
        if let sinceSeconds { groups = groups.filter { $0.lastSeen >= sinceSeconds } }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(groups), as: UTF8.self))
            return
        }
        print("id     state       count  last seen            builds  signature")
        for group in groups {
            let id = String(group.id ?? 0).padding(toLength: 6, withPad: " ", startingAt: 0)
            let state = group.state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            let count = String(group.count).padding(toLength: 6, withPad: " ", startingAt: 0)
            print(
                "\(id) \(state)  \(count) \(CivilTime(secondsSinceEpoch: group.lastSeen))  \(String(group.buildsSeen.count).padding(toLength: 6, withPad: " ", startingAt: 0))  \(group.signature)"
            )
        }
    }
}

struct HistoryShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One group: its occurrences and fix decisions.")

    @OptionGroup var options: HistoryOptions

    @Argument(help: "Group id (the first column of `crashwatch history`) or group key (16 hex digits).")
    var group: String

    func run() async throws {
        let history = try options.open()
        let all = try await history.groups(limit: 1_000_000)
        guard let record = all.first(where: { String($0.id ?? -1) == group || $0.groupKey == group }),
            let id = record.id
        else {
            throw ValidationError("no crash group \(group) in \(history.path)")
        }
        print("group \(id) (\(record.groupKey)): \(record.signature)")
        print(
            "  state \(record.state)\(record.resolvedInBuild.map { " in build \($0)" } ?? ""), \(record.count) occurrences, severity \(record.severity)\(record.isBotRelated ? ", bot-related" : "")"
        )
        print(
            "  first seen \(CivilTime(secondsSinceEpoch: record.firstSeen)), last seen \(CivilTime(secondsSinceEpoch: record.lastSeen))"
        )
        print("  builds \(record.buildsSeen.joined(separator: ", "))")
        if let pattern = record.patternID { print("  pattern \(pattern)") }
        for occurrence in try await history.occurrences(groupID: id, limit: 50) {
            print(
                "  - \(CivilTime(secondsSinceEpoch: occurrence.time))  build \(occurrence.build ?? "?")  \(occurrence.reportPath)"
            )
        }
        for decision in try await history.decisions(groupID: id) {
            print("  decision: \(decision.decision)\(decision.reason.map { " — \($0)" } ?? "")")
        }
    }
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Analyse and store a folder of old crash reports (each report once).")

    @OptionGroup var options: HistoryOptions

    @Argument(help: "Folders of crash reports.")
    var folders: [String]

    func run() async throws {
        for folder in folders where !FileManager.default.fileExists(atPath: folder) {
            throw RuleFileError(key: "import", problem: "folder \(folder) does not exist")
        }
        let config = try options.common.loadConfig()
        let path = options.history ?? config.historyPath(environment: ProcessInfo.processInfo.environment)
        let setup = try CrashSetup.make(
            folders: folders, historyPath: path, ruleDirectories: RuleLibrary.defaultDirectories(),
            createHistoryFolder: options.history == nil && config.history == nil)
        if let problem = setup.historyProblem {
            throw RuleFileError(key: options.history != nil ? "--history" : "history", problem: problem)
        }
        let summary = try await CrashImport.run(setup) { done, total in
            FileHandle.standardError.write(Data("\rimporting \(done)/\(total)…".utf8))
        }
        FileHandle.standardError.write(Data("\n".utf8))
        print(
            "imported \(summary.imported) report(s) into \(path): \(summary.newGroups) new group(s); \(summary.skipped) already there; \(summary.notes) could not be used"
        )
        if summary.notStored > 0 {
            let problem = summary.firstProblem ?? "the history could not be written"
            print("\(summary.notStored) report(s) were analysed but NOT stored: \(problem)")
            throw ExitCode(1)
        }
    }
}
