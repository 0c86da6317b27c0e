import CrashAnalysis
public import CrashInbox
import CrashStore

/// The crash inbox as the dashboard runs it: the folder watcher, the service that analyses and stores each report
/// once, and the retry of crashes kept in memory while the history could not be written.
public struct CrashInboxFeed: Sendable {
    public let watcher: CrashFolderWatcher
    public let service: CrashInboxService
    public let setup: CrashSetup

    public init(setup: CrashSetup) {
        self.setup = setup
        watcher = CrashFolderWatcher(folders: setup.folders)
        service = CrashInboxService(analyzer: setup.analyzer, history: setup.history, sourceRoot: setup.sourceRoot)
    }

    /// What the inbox pane says when no crash folder is configured.
    public static let noFolder = "no crash folder (crashes = \"…\" in crashwatch.toml)"

    /// What the inbox pane says it watches.
    public var watching: String {
        guard !setup.folders.isEmpty else { return Self.noFolder }
        return "watching \(setup.folders.joined(separator: ", "))\(watcher.inotifyAvailable ? "" : " (polling)")"
    }

    /// At once and then every five seconds, writes the crashes waiting for the history (a shared one is connected
    /// the first time) and says what is still waiting, or the history's own problem; ends when the task is
    /// cancelled.
    public func retryPending(report: @escaping @Sendable (_ health: HistoryHealth) async -> Void) async {
        guard let history = setup.history else { return }
        var first = true
        while !Task.isCancelled {
            if !first { try? await Task.sleep(for: .seconds(5)) }
            first = false
            let waiting = await history.retryPending()
            let problem = await history.problem
            let settled = await history.isSetUp ? nil : setup.historyProblem
            await report(HistoryHealth(waiting: waiting, problem: problem, setupProblem: settled))
        }
    }

    /// Calls `changed` for each group another host changed in a shared history; ends with the task.
    public func followChanges(_ changed: @escaping @Sendable (Int64) async -> Void) async {
        guard let history = setup.history else { return }
        for await groupID in history.changes() {
            guard !Task.isCancelled else { return }
            await changed(groupID)
        }
    }
}
