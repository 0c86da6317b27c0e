public import CrashAnalysis
public import CrashInbox
public import CrashStore
public import CrashwatchKit
public import FixEngine
import Foundation
public import LogWatch

/// The I/O half of the dashboard: every effect its state asks for — history queries and changes, fix proposals,
/// applying and rejecting a fix, building and reading log indexes — carried out here, off the main actor, with the
/// outcome handed back as a value for the UI to show.
///
/// Nothing here knows about the screen.
public struct EffectRunner: Sendable {
    public let setup: CrashSetup?
    /// How log lines read back from a file are classified, as the panes classify them.
    public let reading: LineReading

    public init(setup: CrashSetup?, reading: LineReading = .standard) {
        self.setup = setup
        self.reading = reading
    }

    /// What the crash detail view shows for a group.
    public struct GroupDetail: Sendable {
        public var occurrences: [OccurrenceRecord]
        /// The diagnosis of the newest occurrence (stored as JSON), decoded once here rather than on every frame.
        public var latestDiagnosis: Diagnosis?
        public var decisions: [FixDecisionRecord]
        public var similar: [SimilarGroup]
        /// Where each host (and realm) saw the group.
        public var sightings: [HostSighting] = []
    }

    /// A page of the history pane: the groups and where each host saw them.
    public struct HistoryPage: Sendable {
        public var groups: [CrashGroupRecord]
        public var sightings: [Int64: [HostSighting]]
    }

    /// The candidates proposed for one crash, or why there are none.
    public struct FixProposal: Sendable {
        public var candidates: [FixCandidate] = []
        /// The `.patch` and Markdown files written to the reports folder.
        public var reportFiles: [String] = []
        public var message: String?
        public var isProblem = false
    }

    /// How applying an approved fix ended.
    public enum ApplyOutcome: Sendable {
        /// `stashed`: the user's uncommitted changes were set aside first and are in the stash.
        case applied(branch: String, commit: String, stashed: Bool, note: String?, from: String)
        /// The tree has uncommitted changes: the user chooses to stash them or to stop.
        case dirtyTree(String)
        case failed(String)
    }

    public var history: (any HistoryStore)? { setup?.history }

    // MARK: - History

    /// The history pane's groups; `text` may hold `host:NAME` and `realm:NAME` words.
    public func groups(sort: GroupFilter.Sort, text: String?, state: GroupState?) async throws(HistoryError)
        -> HistoryPage
    {
        guard let history else { return HistoryPage(groups: [], sightings: [:]) }
        let groups = try await history.groups(GroupFilter.parsing(text, sort: sort, state: state, limit: 500))
        let sightings = try await history.sightings(groupIDs: groups.compactMap(\.id))
        return HistoryPage(groups: groups, sightings: sightings)
    }

    public func resolve(groupID: Int64, inBuild build: String) async throws(HistoryError) {
        try await history?.resolve(groupID: groupID, inBuild: build)
    }

    public func ignore(groupID: Int64) async throws(HistoryError) { try await history?.ignore(groupID: groupID) }

    public func reopen(groupID: Int64) async throws(HistoryError) { try await history?.reopen(groupID: groupID) }

    public func detail(groupID: Int64) async throws(HistoryError) -> GroupDetail {
        guard let history else { return GroupDetail(occurrences: [], latestDiagnosis: nil, decisions: [], similar: []) }
        let occurrences = try await history.occurrences(groupID: groupID, limit: 50)
        let decisions = try await history.decisions(groupID: groupID)
        var similar: [SimilarGroup] = []
        let sightings = try await history.sightings(groupID: groupID)
        if let group = try await history.group(id: groupID) {
            similar = try await history.similarGroups(to: group.topFrames, excludingGroupKey: group.groupKey)
        }
        let diagnosis = occurrences.first.flatMap {
            try? JSONDecoder().decode(Diagnosis.self, from: Data($0.diagnosis.utf8))
        }
        return GroupDetail(
            occurrences: occurrences, latestDiagnosis: diagnosis, decisions: decisions, similar: similar,
            sightings: sightings)
    }

    // MARK: - Inbox across restarts

    /// The inbox as it was: this host's newest occurrences from the history, analysed again from their text, read or
    /// unread as the user left them.
    ///
    /// Ids start at `firstID` so they never meet the ids of new arrivals.
    public func restoreInbox(limit: Int = 100, firstID: Int = 1_000_000_000) async -> [InboxItem] {
        guard let setup, let history = setup.history,
            let occurrences = try? await history.recentOccurrences(limit: limit)
        else { return [] }
        var counts: [Int64: Int] = [:]
        var items: [InboxItem] = []
        for (offset, occurrence) in occurrences.enumerated() {
            if counts[occurrence.groupID] == nil {
                counts[occurrence.groupID] = (try? await history.group(id: occurrence.groupID))??.count ?? 1
            }
            let result = setup.analyzer.analyze(
                text: occurrence.rawText, file: occurrence.reportPath, timeIfUnstated: occurrence.time)
            var item = InboxItem(
                id: firstID + offset, path: occurrence.reportPath, result: result,
                outcome: .recorded(groupID: occurrence.groupID, lifecycle: .repeated),
                groupCount: counts[occurrence.groupID], time: occurrence.time, latency: 0)
            let key = InboxReadState.key(reportPath: occurrence.reportPath, contentHash: occurrence.contentHash)
            item.isUnread = !(setup.readState?.isRead(key) ?? false)
            items.append(item)
        }
        return items.reversed()
    }

    /// Keeps that the user opened this report.
    public func markRead(reportPath: String, rawText: String) {
        setup?.readState?.markRead(
            InboxReadState.key(reportPath: reportPath, contentHash: SignatureGenerator.stableHash(rawText)))
    }

    // MARK: - Fixes

    /// Proposes fixes for `analysed` (an inbox item's result) or, without one, the latest occurrence of `groupID`,
    /// ranked by `FixProposer`, and writes them to the reports folder when one is set.
    public func proposeFixes(for analysed: CrashAnalysisResult?, groupID: Int64?, groupSize: Int) async -> FixProposal {
        guard let setup else { return FixProposal(message: "no crash setup", isProblem: true) }
        var result = analysed
        if result == nil, let groupID, let history = setup.history,
            let latest = try? await history.occurrences(groupID: groupID, limit: 1).first
        {
            result = setup.analyzer.analyze(text: latest.rawText, file: latest.reportPath)
        }
        guard let root = setup.sourceRoot else {
            return FixProposal(
                message: "no source tree: set source = \"…\" in crashwatch.toml (or --source)", isProblem: true)
        }
        guard let result else { return FixProposal(message: "no analysed crash", isProblem: true) }
        let provider = setup.fixProvider.map(FixProvider.init(command:))
        let reports = setup.reportsFolder
        let buildDirectory = setup.buildDirectory
        return await BlockingWork.perform { () -> FixProposal in
            let candidates = FixProposer(sourceRoot: root, buildDirectory: buildDirectory).candidates(
                for: result, groupSize: groupSize, provider: provider)
            let files =
                reports.flatMap {
                    try? FixReportWriter.write(
                        candidates, signature: result.signature.signature, groupID: result.signature.groupKey, to: $0)
                } ?? []
            let message = reports.flatMap { files.isEmpty ? nil : "candidates written to \($0)" }
            return FixProposal(candidates: candidates, reportFiles: files, message: message)
        }
    }

    /// The changes crashwatch stashed before applying a fix, still in the stash: on which branch they were made and
    /// which branch is checked out now.
    public struct StashNotice: Sendable, Equatable {
        public var ref: String
        public var branch: String
        public var current: String
        public var isOnItsBranch: Bool { branch == current }

        public init(ref: String, branch: String, current: String) {
            self.ref = ref
            self.branch = branch
            self.current = current
        }
    }

    public func stashNotice() async -> StashNotice? {
        guard let root = setup?.sourceRoot else { return nil }
        return await BlockingWork.perform {
            let git = GitPatchApplier(root: root)
            guard let stash = git.crashwatchStash(), let current = git.currentBranch() else { return nil }
            return StashNotice(ref: stash.ref, branch: stash.branch, current: current)
        }
    }

    /// `:stash-pop`: puts the stashed changes back, on the branch they came from.
    public func popStash() async -> String {
        guard let root = setup?.sourceRoot else { return "no source tree is configured" }
        return await BlockingWork.perform {
            let git = GitPatchApplier(root: root)
            guard let stash = git.crashwatchStash() else { return "crashwatch has no stash of yours waiting" }
            guard let current = git.currentBranch(), current == stash.branch else {
                return
                    "your changes were stashed on \(stash.branch): git checkout \(stash.branch) first (HEAD is on \(git.currentBranch() ?? "?"))"
            }
            do throws(GitPatchApplier.Failure) {
                try git.git(["stash", "pop", stash.ref])
                return "your stashed changes are back in the working tree on \(current)"
            } catch {
                return "git stash pop did not finish (\(error.detail)); your changes are still in \(stash.ref)"
            }
        }
    }

    /// The user's edit of `candidate`'s patch, checked as a proposal is: it must stay in the tree, apply to it as it is
    /// (`git apply --check`), and compile with the user's build; a patch that does not apply cannot be approved.
    public func recheck(_ candidate: FixCandidate, editedDiff: String) async -> FixCandidate {
        var edited = candidate
        edited.diff = editedDiff
        if !candidate.title.hasPrefix("edited: ") { edited.title = "edited: \(candidate.title)" }
        if !edited.evidence.contains(Self.editedEvidence) { edited.evidence.append(Self.editedEvidence) }
        edited.compileCheck = nil
        guard let root = setup?.sourceRoot else {
            edited.compileCheck = .notChecked("no source tree is configured")
            return edited
        }
        let buildDirectory = setup?.buildDirectory
        let unchecked = edited
        return await BlockingWork.perform {
            do throws(GitPatchApplier.Failure) {
                try GitPatchApplier(root: root).check(diff: editedDiff)
            } catch {
                var refused = unchecked
                refused.compileCheck = .fails(unit: "", error: "your edited patch: \(error.description)")
                return refused
            }
            return FixProposer(sourceRoot: root, buildDirectory: buildDirectory).compileChecked([unchecked])[0]
        }
    }

    static let editedEvidence = "the patch was edited by you in your editor"

    /// Reverts the crash group's fix in the source tree (`U` in its detail view), with a new commit.
    public func revertFix(groupKey: String) async -> String {
        guard let root = setup?.sourceRoot else {
            return "no source tree is configured (source = \"…\" in crashwatch.toml), so there is no fix to revert"
        }
        return await BlockingWork.perform {
            do throws(GitPatchApplier.Failure) {
                return try GitPatchApplier(root: root).revertFix(groupKey: groupKey)
            } catch {
                return "not reverted: \(error.description)"
            }
        }
    }

    /// Applies `candidate` on its own branch through git, after the user's confirmed `A`; records the approval with
    /// the group when it is in the history.
    public func applyFix(
        _ candidate: FixCandidate, signature: String, groupKey: String, groupID: Int64?, stashFirst: Bool
    ) async -> ApplyOutcome {
        guard let root = setup?.sourceRoot, let diff = candidate.diff else {
            return .failed("the candidate has no patch")
        }
        let message = candidate.commitMessage(signature: signature, groupKey: groupKey)
        let outcome = await BlockingWork.perform {
            () -> Result<GitPatchApplier.Applied, GitPatchApplier.Failure> in
            let applier = GitPatchApplier(root: root)
            do throws(GitPatchApplier.Failure) {
                if stashFirst {
                    return .success(try applier.stashAndApply(diff: diff, groupID: groupKey, message: message))
                }
                return .success(try applier.apply(diff: diff, groupID: groupKey, message: message))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let applied):
            if let groupID {
                try? await history?.recordDecision(
                    FixDecisionRecord(
                        id: nil, groupID: groupID, time: WallClock.localSeconds(), decision: .approved,
                        reason: candidate.title, patch: diff, commitHash: applied.commit))
            }
            return .applied(
                branch: applied.branch, commit: applied.commit, stashed: stashFirst, note: applied.identityNote,
                from: applied.originalBranch)
        case .failure(let failure) where failure.kind == .dirtyTree:
            return .dirtyTree(failure.description)
        case .failure(let failure):
            return .failed(failure.description)
        }
    }

    /// Records the rejection and its reason with the group; false when the crash is not in the history.
    public func rejectFix(_ candidate: FixCandidate, reason: String, groupID: Int64?) async -> Bool {
        guard let groupID, let history else { return false }
        try? await history.recordDecision(
            FixDecisionRecord(
                id: nil, groupID: groupID, time: WallClock.localSeconds(), decision: .rejected,
                reason: "\(candidate.title): \(reason)", patch: candidate.diff ?? "", commitHash: nil))
        return true
    }

    // MARK: - Log files

    /// Builds the line index of a whole log file in the background; `progress` gets the fraction read.
    public func buildIndex(path: String, progress: @escaping @Sendable (Double) -> Void) async -> SparseLineIndex? {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
        return await BlockingWork.perform { () -> SparseLineIndex? in
            try? SparseLineIndex.build(path: path, upTo: .max) { done in
                progress(size > 0 ? min(1, Double(done) / size) : 1)
            }
        }
    }

    /// Why a whole-file search could not run.
    public struct FileSearchProblem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Finds the line a file search asks for, through `archive` extended over what was written meanwhile.
    ///
    /// `stop` ends it early (the answer is then not used); `progress` gets the share done now and then.
    public func findInFile(
        _ archive: SparseLineIndex, pattern: String?, levels: Set<LogLevel>, time: Int64? = nil, from line: Int,
        forward: Bool,
        stop: LockBox<Bool>, progress: @escaping @Sendable (Double) -> Void
    ) async -> Result<(SparseLineIndex, Int?), FileSearchProblem> {
        let reading = reading
        return await BlockingWork.perform { () -> Result<(SparseLineIndex, Int?), FileSearchProblem> in
            let current = (try? archive.extended()) ?? archive
            let query: FileSearch.Query
            if let time {
                query = .time(time)
            } else if let pattern {
                guard let text = try? FileSearch.TextPattern(pattern) else {
                    return .failure(FileSearchProblem(description: "not a valid regular expression: \(pattern)"))
                }
                query = .text(text)
            } else {
                query = .levels(levels)
            }
            var lastReport = ContinuousClock.now
            do {
                let found = try FileSearch(index: current, reading: reading).find(
                    query, after: line, direction: forward ? .forward : .backward
                ) { fraction in
                    if ContinuousClock.now - lastReport > .milliseconds(100) {
                        lastReport = .now
                        progress(fraction)
                    }
                    return stop.value
                }
                return .success((current, found))
            } catch is FileSearch.Cancelled {
                return .success((current, nil))
            } catch {
                return .failure(FileSearchProblem(description: "\(archive.path) could not be searched: \(error)"))
            }
        }
    }

    /// Reads `count` lines from line `top` through `archive`, first extending it over what was written meanwhile.
    public func readLines(_ archive: SparseLineIndex, top: Int, count: Int) async -> (SparseLineIndex, [LogLine])? {
        await BlockingWork.perform { () -> (SparseLineIndex, [LogLine])? in
            let current = (try? archive.extended()) ?? archive
            guard let lines = try? current.lines(from: top, count: count, reading: reading) else { return nil }
            return (current, lines)
        }
    }
}
