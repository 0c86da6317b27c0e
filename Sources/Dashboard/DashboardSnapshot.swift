public import AppCore
import CrashInbox
import CrashStore
public import CrashwatchKit
import Demo
import Foundation
public import LogWatch
import SystemPackage
public import TerminalUI

/// Builds a dashboard state without a terminal or a clock: from files read to their end, or from the demo script.
///
/// Used by `crashwatch render` and by the golden-screen tests.
public enum DashboardSnapshot {
    /// Reads each source's file completely (as a live follow would on start) into its pane.
    public static func fromFiles(
        _ sources: [LogSourceSpec], size: Size, now: ContinuousClock.Instant = .now, triage: TriageModel? = nil,
        reading: LineReading = .standard
    ) -> DashboardState {
        var state = DashboardState(
            panes: sources.map { LogPane(title: $0.title, path: $0.path) }, size: size, now: now, timeline: true)
        if let triage { state.triage = triage }
        // Lines without a timestamp are stamped with the time they are read, as when following live.
        state.wallSeconds = WallClock.localSeconds()
        for (index, source) in sources.enumerated() {
            let follower = FileFollower(path: FilePath(source.path))
            var classifier = LineClassifier(reading: reading)
            var update = follower.poll()
            while true {
                let batch = LogBatch(lines: update.lines.map { classifier.classify($0) }, events: update.events)
                state.ingest(batch, into: index, live: false)
                guard update.hasMore else { break }
                update = follower.poll()
            }
        }
        state.message = nil
        return state
    }

    /// The first `lineCount` lines of the demo story, stamped from `start` at `linesPerSecond`.
    public static func demo(
        lineCount: Int = 400, seed: UInt64 = 1,
        start: CivilTime = CivilTime(
            year: 2025, month: 10, day: 31, hour: 11, minute: 14, second: 33),
        linesPerSecond: Int = 40, size: Size, now: ContinuousClock.Instant = .now, triage: TriageModel? = nil
    ) -> DashboardState {
        var script = DemoScript(seed: seed)
        var classifiers = [LineClassifier(), LineClassifier()]
        var batches = [LogBatch(), LogBatch()]
        let base = start.secondsSinceEpoch
        for index in 0..<lineCount {
            let line = script.next()
            let stamp = CivilTime(secondsSinceEpoch: base + Int64(index / max(1, linesPerSecond)))
            let pane = line.file == .server ? 0 : 1
            let raw = RawLine(bytes: Array(line.formatted(at: stamp).utf8))
            batches[pane].lines.append(classifiers[pane].classify(raw))
        }
        var state = DashboardState(
            panes: [
                LogPane(title: "Server.log", path: "demo/Server.log"),
                LogPane(title: "Playerbot.log", path: "demo/Playerbot.log"),
            ],
            size: size, now: now, timeline: true)
        if let triage { state.triage = triage }
        state.wallSeconds = base + Int64(lineCount / max(1, linesPerSecond))
        state.ingest(batches[0], into: 0, live: false)
        state.ingest(batches[1], into: 1, live: false)
        return state
    }
}

extension DashboardSnapshot {
    /// Adds the crash reports in `folders` to the state's inbox and history, as `watch` would on start.
    ///
    /// Works on a copy of `historyPath` (or a new database) in a temporary folder: rendering never changes the
    /// user's history.
    public static func addingCrashes(
        to state: DashboardState, folders: [String], historyPath: String?, ruleDirectories: [String]
    ) async throws -> DashboardState {
        var state = state
        let scratchFolder = TemporaryDirectory("crashwatch-render")
        // Kept until the end of the scope: the folder is removed when the value is released.
        defer { withExtendedLifetime(scratchFolder) {} }
        let scratch = scratchFolder.path
        let copy = "\(scratch)/history.sqlite"
        if let historyPath {
            guard !HistoryLocation.isShared(historyPath) else {
                throw RuleFileError(
                    key: "--history",
                    problem:
                        "render works on a copy of an SQLite history and a shared one cannot be copied; render with a local file (crashwatch history lists the shared one)"
                )
            }
            guard FileManager.default.fileExists(atPath: historyPath) else {
                throw RuleFileError(key: "--history", problem: "history database \(historyPath) does not exist")
            }
            try FileManager.default.copyItem(atPath: historyPath, toPath: copy)
        }
        let setup = try CrashSetup.make(folders: folders, historyPath: copy, ruleDirectories: ruleDirectories)
        if let problem = setup.historyProblem { throw RuleFileError(key: "--history", problem: problem) }
        let service = CrashInboxService(analyzer: setup.analyzer, history: setup.history)
        // By name: the same folder always renders the same way (checkouts give files arbitrary mtimes).
        let events = CrashFolderWatcher(folders: folders).existingFiles().sorted { $0.path < $1.path }
        for event in events {
            if var item = await service.process(event) {
                item.latency = 0
                state.crashes.inbox.append(item)
            }
        }
        if let history = setup.history {
            state.crashes.groups = try await history.groups(GroupFilter(limit: 500))
        }
        state.crashes.watching = "\(folders.joined(separator: ", "))"
        return state
    }
}
