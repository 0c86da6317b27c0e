public import CrashAnalysis
public import CrashInbox
public import CrashStore
public import CrashwatchKit
import FixEngine
public import Foundation

/// What the dashboard needs to run the crash inbox: folders to watch, the analyzer, and the history (if it opened).
public struct CrashSetup: Sendable {
    public var folders: [String]
    public var analyzer: CrashAnalyzer
    public var history: (any HistoryStore)?
    /// Why the history is not available, when it is not.
    public var historyProblem: String?
    /// The TrinityCore source tree fixes are proposed against (`source`).
    public var sourceRoot: String?
    /// Where the user's `compile_commands.json` is (`build-dir`); by default looked for under the source tree.
    public var buildDirectory: String?
    /// The external fix provider command (`fix-provider`).
    public var fixProvider: String?
    /// Where candidates are written as `.patch` + Markdown (`reports`).
    public var reportsFolder: String?
    /// Which reports the user opened, kept across restarts (nil: not kept).
    public var readState: InboxReadState?

    public init(folders: [String], analyzer: CrashAnalyzer, history: (any HistoryStore)?, historyProblem: String?) {
        self.folders = folders
        self.analyzer = analyzer
        self.history = history
        self.historyProblem = historyProblem
    }

    /// Opens the history and loads the rules; never fails (problems become `historyProblem` / the thrown rule error).
    /// - Parameter createHistoryFolder: true only for crashwatch's own default location; a configured path whose
    ///   folder does not exist is a problem to report, not a folder to create.
    /// - Parameters:
    ///   - historyPath: an SQLite file, or a shared history's `postgresql://` URL (not connected here: see
    ///     `connectHistory()`).
    ///   - origin: the host and realm occurrences are recorded for.
    public static func make(
        folders: [String], historyPath: String, ruleDirectories: [String], createHistoryFolder: Bool = true,
        origin: HistoryOrigin = .local, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(RuleFileError) -> CrashSetup {
        let library = try RuleLibrary.load(directories: ruleDirectories)
        do {
            // A lock at start (another crashwatch, a backup, sqlite3 open on it) must not keep this session from
            // writing: crashes wait, and are written once it is free.
            let history = try HistoryLocation.open(
                historyPath, origin: origin, environment: environment,
                mode: .readWrite(createFolder: createHistoryFolder), waitIfLocked: true)
            let locked = (history as? CrashHistory)?.lockedAtOpen
            return CrashSetup(
                folders: folders, analyzer: library.analyzer, history: history,
                historyProblem: locked.map { "\($0); crashes wait and are written when it is free" })
        } catch {
            return CrashSetup(
                folders: folders, analyzer: library.analyzer, history: nil, historyProblem: error.description)
        }
    }
}

extension CrashSetup {
    /// Records the approvals that fix commits in the source tree carry but the history lacks (crashwatch stopped
    /// between the commit and the write); returns how many.
    @discardableResult
    public func recordFixCommits() async -> Int {
        guard let root = sourceRoot, let history else { return 0 }
        let commits = await BlockingWork.perform { GitPatchApplier(root: root).fixCommits() }
        let rows = commits.map { commit in
            FixCommit(
                groupKey: commit.groupKey, commit: commit.commit,
                time: WallClock.localSeconds(Date(timeIntervalSince1970: Double(commit.time))), patch: commit.patch)
        }
        return (try? await history.recordFixCommits(rows)) ?? 0
    }

    /// Re-signs the groups an older crashwatch stored with an older signature algorithm, from their reports' text,
    /// as the inbox signs them today; says what it did, or nil when there was nothing to do. (A shared history is
    /// written by current crashwatch versions only.)
    public func resignOldGroups() async -> String? {
        guard let sqlite = history as? CrashHistory else { return nil }
        let analyzer = analyzer
        let qualifier = sourceRoot.map(SourceTreeQualifier.init(root:))
        do {
            let summary = try await sqlite.resign(currentVersion: SignatureGenerator.algorithmVersion) { occurrence in
                let qualify = qualifier.map { tree in
                    { @Sendable (method: String, file: String?) in tree.qualify(method: method, file: file) }
                }
                return analyzer.analyze(text: occurrence.rawText, file: occurrence.reportPath, qualify: qualify)
                    .signature
            }
            return summary.groups > 0 ? summary.description : nil
        } catch {
            return "the groups an older crashwatch stored could not be re-signed: \(error)"
        }
    }

    /// Puts the source tree back after a fix apply that crashwatch was stopped in the middle of; says what it did.
    public func recoverInterruptedApply() async -> String? {
        guard let root = sourceRoot else { return nil }
        return await BlockingWork.perform { GitPatchApplier(root: root).recoverInterruptedApply() }
    }
}
