import AppCore
import ArgumentParser
import CrashStore
import CrashwatchKit
import Foundation
import HistoryServer
import LogWatch

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List the crash groups of the history (an SQLite file, or a shared PostgreSQL history).",
        subcommands: [HistoryListCommand.self, HistoryShowCommand.self, HistoryPushCommand.self],
        defaultSubcommand: HistoryListCommand.self)
}

/// Options shared by the history commands: where the history is.
struct HistoryOptions: ParsableArguments {
    @OptionGroup var common: CommonOptions

    @Option(
        help:
            "History: an SQLite file or a postgresql:// URL (default: history from crashwatch.toml, else $XDG_STATE_HOME/crashwatch/history.sqlite)."
    )
    var history: String?

    /// Where the history is, and whether it was named on the command line or in the config.
    func location() throws -> (location: String, config: AppSettings) {
        let config = try common.loadConfig()
        return (history ?? config.historyPath(environment: ProcessInfo.processInfo.environment), config)
    }

    /// Opens the history to read it: an SQLite file only if it exists (a foreign file is refused, never given
    /// crashwatch's tables); a shared history is connected, so a wrong URL, password or database is said here.
    func open() async throws -> any HistoryStore {
        let (location, config) = try location()
        let environment = ProcessInfo.processInfo.environment
        if !HistoryLocation.isShared(location), !FileManager.default.fileExists(atPath: location) {
            throw RuleFileError(
                key: history != nil ? "--history" : "history", problem: "no history database at \(location) yet")
        }
        let store = try HistoryLocation.open(
            location, origin: try config.historyOrigin(), environment: environment, mode: .readOnly)
        try await HistoryLocation.connect(store)
        return store
    }
}

/// `--host` and `--realm`, shared by the commands that list groups.
struct PlaceFilter: ParsableArguments {
    @Option(help: "Only groups this host has seen (a shared history records each occurrence's host).")
    var host: String?

    @Option(help: "Only groups seen on this realm.")
    var realm: String?
}

/// A group as `--json` prints it: the group's fields, and where each host saw it.
struct GroupListing: Encodable {
    var group: CrashGroupRecord
    var hosts: [HostSighting]

    enum HostsKey: String, CodingKey { case hosts }

    func encode(to encoder: any Encoder) throws {
        try group.encode(to: encoder)
        var container = encoder.container(keyedBy: HostsKey.self)
        try container.encode(hosts, forKey: .hosts)
    }
}

/// Pretty JSON, as every `--json` prints it.
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

struct HistoryListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List crash groups, most recent first.")

    @OptionGroup var options: HistoryOptions
    @OptionGroup var place: PlaceFilter

    @Flag(help: "Print JSON (an array of groups, each with the hosts that saw it).")
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
        guard let order = GroupFilter.Sort(rawValue: sort) else {
            throw ValidationError("--sort must be lastSeen, count or firstSeen")
        }
        let sinceSeconds = try since.map { text -> Int64 in
            let parts = text.split(separator: "-").compactMap { Int($0) }
            guard parts.count == 3 else { throw ValidationError("--since must look like 2025-10-31") }
            return CivilTime(year: parts[0], month: parts[1], day: parts[2], hour: 0, minute: 0, second: 0)
                .secondsSinceEpoch
        }
        let history = try await options.open()
        var groups = try await history.groups(
            GroupFilter(sort: order, state: groupState, host: place.host, realm: place.realm, limit: 100_000))
        if let sinceSeconds { groups = groups.filter { $0.lastSeen >= sinceSeconds } }
        let sightings = try await history.sightings(groupIDs: groups.compactMap(\.id))
        if json {
            try printJSON(groups.map { GroupListing(group: $0, hosts: sightings[$0.id ?? -1] ?? []) })
            return
        }
        print("id     state       count  last seen            builds  signature  (seen on)")
        for group in groups {
            let id = String(group.id ?? 0).padding(toLength: 6, withPad: " ", startingAt: 0)
            let state = group.state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
            let count = String(group.count).padding(toLength: 6, withPad: " ", startingAt: 0)
            let places = (sightings[group.id ?? -1] ?? []).map { "\($0.place) \($0.count)×" }.joined(separator: ", ")
            print(
                "\(id) \(state)  \(count) \(CivilTime(secondsSinceEpoch: group.lastSeen))  \(String(group.buildsSeen.count).padding(toLength: 6, withPad: " ", startingAt: 0))  \(group.signature)  (\(places))"
            )
        }
    }
}

struct HistoryShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One group: where it was seen, its occurrences and fix decisions.")

    @OptionGroup var options: HistoryOptions

    @Flag(help: "Print JSON: the group, its hosts, occurrences (without report text) and decisions.")
    var json = false

    @Argument(help: "Group id (the first column of `crashwatch history`) or group key (16 hex digits).")
    var group: String

    struct Shown: Encodable {
        var group: GroupListing
        var occurrences: [Occurrence]
        var decisions: [FixDecisionRecord]

        struct Occurrence: Encodable {
            var id: Int64?
            var time: String
            var host: String
            var realm: String?
            var build: String?
            var reportPath: String
            var exception: String
            var frames: [String]
        }
    }

    func run() async throws {
        let history = try await options.open()
        let all = try await history.groups(GroupFilter(limit: 1_000_000))
        guard let record = all.first(where: { String($0.id ?? -1) == group || $0.groupKey == group }),
            let id = record.id
        else {
            throw ValidationError("no crash group \(group) in \(history.location)")
        }
        let sightings = try await history.sightings(groupID: id)
        let occurrences = try await history.occurrences(groupID: id, limit: 50)
        let decisions = try await history.decisions(groupID: id)
        if json {
            try printJSON(
                Shown(
                    group: GroupListing(group: record, hosts: sightings),
                    occurrences: occurrences.map {
                        Shown.Occurrence(
                            id: $0.id, time: "\(CivilTime(secondsSinceEpoch: $0.time))", host: $0.host, realm: $0.realm,
                            build: $0.build, reportPath: $0.reportPath, exception: $0.exception, frames: $0.frames)
                    }, decisions: decisions))
            return
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
        for sighting in sightings {
            print(
                "  seen on \(sighting.place)\(sighting.realm != nil ? " (\(sighting.host))" : ""): \(sighting.count)×, first \(CivilTime(secondsSinceEpoch: sighting.firstSeen)), last \(CivilTime(secondsSinceEpoch: sighting.lastSeen)), builds \(sighting.builds.joined(separator: ", "))"
            )
        }
        for occurrence in occurrences {
            print(
                "  - \(CivilTime(secondsSinceEpoch: occurrence.time))  \(occurrence.host.isEmpty ? "" : "\(occurrence.host)  ")build \(occurrence.build ?? "?")  \(occurrence.reportPath)"
            )
        }
        for decision in decisions {
            print("  decision: \(decision.decision)\(decision.reason.map { " — \($0)" } ?? "")")
        }
    }
}

struct HistoryPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Copy a local SQLite history into the shared PostgreSQL history, once (a second push adds nothing).")

    @OptionGroup var options: HistoryOptions

    @Option(help: "The SQLite history to copy (default: $XDG_STATE_HOME/crashwatch/history.sqlite).")
    var from: String?

    func run() async throws {
        let (location, config) = try options.location()
        guard HistoryLocation.isShared(location) else {
            throw ValidationError(
                "push copies into a shared history: set history = \"postgresql://…\" in crashwatch.toml or pass --history postgresql://…"
            )
        }
        let environment = ProcessInfo.processInfo.environment
        let source = from ?? AppSettings().historyPath(environment: environment)
        guard FileManager.default.fileExists(atPath: source) else {
            throw RuleFileError(key: "--from", problem: "no history database at \(source)")
        }
        let origin = try config.historyOrigin()
        let local = try CrashHistory(path: source, mode: .readOnly, origin: origin)
        let shared = try HistoryLocation.open(location, origin: origin, environment: environment)
        try await HistoryLocation.connect(shared)
        let summary = try await HistoryLocation.push(local, into: shared)
        print(
            "pushed \(source) into \(shared.location): \(summary.groups) group(s), \(summary.occurrencesSent) occurrence(s) sent, \(summary.alreadyThere) already there, \(summary.decisionsSent) decision(s) sent, \(summary.statesCopied) group state(s) copied"
        )
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
            createHistoryFolder: options.history == nil && config.history == nil, origin: try config.historyOrigin())
        if let history = setup.history { try await HistoryLocation.connect(history) }
        if let problem = setup.historyProblem {
            throw RuleFileError(key: options.history != nil ? "--history" : "history", problem: problem)
        }
        if let resigned = await setup.resignOldGroups() { print(resigned) }
        let summary = try await CrashImport.run(setup) { done, total in
            FileHandle.standardError.write(Data("\rimporting \(done)/\(total)…".utf8))
        }
        FileHandle.standardError.write(Data("\n".utf8))
        print(
            "imported \(summary.imported) report(s) into \(setup.history?.location ?? path): \(summary.newGroups) new group(s); \(summary.skipped) already there; \(summary.notes) could not be used"
        )
        if summary.notStored > 0 {
            let problem = summary.firstProblem ?? "the history could not be written"
            print("\(summary.notStored) report(s) were analysed but NOT stored: \(problem)")
            throw ExitCode(1)
        }
    }
}
