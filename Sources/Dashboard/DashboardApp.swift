import CrashAnalysis
import CrashInbox
import CrashStore
import CrashwatchKit
import FixEngine
import Foundation
import LogWatch
import Supervisor
import SystemPackage
import TerminalUI

/// The live dashboard: follows the logs, reads keys, and draws at most 20 frames a second, only when something changed.
///
/// All state lives in one `DashboardState` on the main actor; each log is read by its own task (a `LogTail`) whose
/// batches are applied to that state. Drawing cost is per frame, never per line, so a chatty server cannot make the
/// view fall behind.
@MainActor
public final class DashboardApp {
    public static let frameInterval = Duration.milliseconds(50)

    private var state: DashboardState
    private let sources: [LogSourceSpec]
    private let theme: Theme
    private var tasks: [Task<Void, Never>] = []

    private let crashSetup: CrashSetup?
    private let parser: LinePrefixParser
    private let loopSetup: LoopSetup?
    /// The loop waiting for the user's answer in the fix preview.
    private var loopWaiting: CheckedContinuation<Approval, Never>?
    private var loopEffects: SupervisedEffects?
    private let loopOutput = BoundedLineBuffer(capacity: 5_000)
    /// Panes whose file index is being built.
    private var indexing: Set<Int> = []
    /// When a pane's index last could not be built: it is retried only after a while, never in a tight loop.
    private var indexFailed: [Int: ContinuousClock.Instant] = [:]

    public init(
        sources: [LogSourceSpec], theme: Theme, triage: TriageModel, crashSetup: CrashSetup? = nil,
        parser: LinePrefixParser = .standard, loop: LoopSetup? = nil, startupMessage: StatusMessage? = nil,
        banner: String? = nil
    ) {
        self.parser = parser
        self.loopSetup = loop
        self.sources = sources
        self.theme = theme
        self.crashSetup = crashSetup
        state = DashboardState(
            panes: sources.map { LogPane(title: $0.title, path: $0.path) }, size: Size(width: 80, height: 24),
            triage: triage)
        state.message = startupMessage
        state.banner = banner
    }

    /// Runs until `q`, Ctrl-C, SIGTERM or SIGHUP. The terminal is restored on every way out, thrown errors included.
    public func run() async throws {
        let screen = NcursesScreen(theme: theme)
        defer {
            for task in tasks { task.cancel() }
            screen.end()
        }
        screen.installQuitSignals()
        state.size = screen.size
        for (index, source) in sources.enumerated() {
            let tail = LogTail(path: FilePath(source.path), startAt: .tail(bytes: 8 * 1024 * 1024), parser: parser)
            tasks.append(
                Task { @MainActor [weak self] in
                    for await batch in tail {
                        guard let self else { return }
                        self.state.now = .now
                        self.state.wallSeconds = WallClock.localSeconds()
                        self.state.ingest(batch, into: index)
                    }
                })
        }
        startCrashInbox()
        startLoop()
        let clock = ContinuousClock()
        var lastFrame = clock.now - Self.frameInterval
        var lastSecond = clock.now
        while !state.shouldQuit && !screen.quitSignalReceived {
            while let key = screen.nextKey() {
                state.handle(key)
                if state.shouldQuit { return }
            }
            let size = screen.size
            if size != state.size {
                state.size = size
                state.needsRedraw = true
            }
            let now = clock.now
            // Rates decay even when nothing arrives: refresh the titles once a second.
            if now - lastSecond >= .seconds(1) {
                lastSecond = now
                state.needsRedraw = true
            }
            runPendingCommands()
            answerLoop()
            let printed = loopOutput.drain()
            if !printed.isEmpty {
                state.loop?.addOutput(printed)
                if state.mode == .loopView { state.needsRedraw = true }
            }
            keepIndexesBuilt()
            runArchiveLoads()
            if state.needsRedraw && now - lastFrame >= Self.frameInterval {
                state.now = now
                screen.present(DashboardRenderer.render(state))
                state.needsRedraw = false
                lastFrame = now
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    // MARK: - The supervised loop

    private func startLoop() {
        guard let setup = loopSetup else { return }
        state.loop = LoopStatus(mode: setup.modeName)
        let output = loopOutput
        let effects = SupervisedEffects(
            configuration: setup.configuration, analyzer: setup.analyzer,
            decide: { [weak self] candidates, result in
                await self?.askUser(candidates, result) ?? .quit
            },
            output: { line, isError in output.append(isError ? "! " + line : line) })
        loopEffects = effects
        let recorder = LoopRecorder(app: self)
        tasks.append(
            Task { @MainActor [weak self] in
                let (reason, events) = await CrashLoop(settings: setup.settings).run(effects) { event in
                    await recorder.record(event)
                }
                guard let self else { return }
                self.state.loop?.result = reason.description
                if case .buildFailed = reason { self.state.loop?.canRevert = true }
                if let path = setup.reportPath {
                    var report = "# crashwatch loop report\n\n**Result:** \(reason)\n\n| iteration | step | detail |\n|---|---|---|\n"
                    for event in events { report += "| \(event.iteration) | \(event.step.rawValue) | \(event.detail) |\n" }
                    try? report.write(toFile: path, atomically: true, encoding: .utf8)
                    self.state.loop?.reportPath = path
                }
                self.state.message = StatusMessage("loop: \(reason)")
                if case .fixed(let signature) = reason, setup.pullRequest {
                    let body = setup.reportPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
                    let outcome = await PullRequest.openDraft(
                        sourceRoot: setup.configuration.sourceRoot, title: "crashwatch: fix \(signature)", body: body)
                    self.state.message = StatusMessage("loop: \(reason) — \(outcome)")
                }
                self.state.needsRedraw = true
            })
    }

    fileprivate func record(_ event: CrashLoop.Event) {
        guard let started = state.loop?.started else { return }
        state.loop?.entries.append(LoopStatus.Entry(event: event, elapsed: .now - started))
        if event.step == .apply || event.step == .build {
            if state.mode == .fixPreview, state.crashes.fixPreview?.forLoop == true {
                state.crashes.fixPreview = nil
                state.mode = .normal
            }
        }
        state.needsRedraw = true
    }

    /// Shows the loop's candidates in the fix preview and waits for A or R.
    private func askUser(_ candidates: [FixCandidate], _ result: CrashAnalysisResult) async -> Approval {
        var preview = FixPreview(signature: result.signature.signature, groupKey: result.signature.groupID, groupID: nil)
        preview.candidates = candidates
        preview.forLoop = true
        state.crashes.fixPreview = preview
        state.mode = .fixPreview
        state.message = StatusMessage("the loop proposes a fix for \(result.signature.signature): A approve, R reject")
        state.needsRedraw = true
        return await withCheckedContinuation { continuation in
            loopWaiting = continuation
        }
    }

    /// Hands the user's answer from the fix preview to the waiting loop.
    private func answerLoop() {
        guard let decision = state.pendingLoopDecision, let waiting = loopWaiting else { return }
        state.pendingLoopDecision = nil
        loopWaiting = nil
        switch decision {
        case .approve(let index):
            let candidates = state.crashes.fixPreview?.candidates ?? []
            guard index < candidates.count else {
                waiting.resume(returning: .rejected(reason: "no such candidate"))
                return
            }
            state.message = StatusMessage("approved: \(candidates[index].title) — the loop applies, rebuilds and retests (L)")
            waiting.resume(returning: .approved(candidates[index]))
        case .reject(let reason):
            waiting.resume(returning: .rejected(reason: reason))
        }
    }

    // MARK: - Fixes

    private func proposeFixes(inboxItemID: Int?, groupID: Int64?, history: CrashHistory) async {
        guard let setup = crashSetup else { return }
        var result = inboxItemID.flatMap { id in state.crashes.inbox.first { $0.id == id } }?.result
        if result == nil, let groupID, let latest = try? await history.occurrences(groupID: groupID, limit: 1).first {
            result = setup.analyzer.analyze(text: latest.rawText, file: latest.reportPath)
        }
        guard let result, let root = setup.sourceRoot else {
            state.crashes.fixPreview?.busy = nil
            state.message = StatusMessage(
                setup.sourceRoot == nil ? "no source tree: set source = \"…\" in crashwatch.toml (or --source)" : "no analysed crash",
                isProblem: true)
            return
        }
        let groupSize = groupID.flatMap { id in state.crashes.groups.first { $0.id == id }?.count } ?? 1
        let provider = setup.fixProvider.map(FixProvider.init(command:))
        let reports = setup.reportsFolder
        let candidates = await Task.detached(priority: .userInitiated) { () -> ([FixCandidate], [String]) in
            let proposer = FixProposer(sourceRoot: root)
            var candidates = proposer.candidates(for: result, groupSize: groupSize)
            if let provider { candidates.insert(proposer.candidate(fromProvider: provider, result: result, groupSize: groupSize), at: 0) }
            candidates.sort { a, b in
                if (a.diff == nil) != (b.diff == nil) { return a.diff != nil }
                if a.isSymptomOnly != b.isSymptomOnly { return !a.isSymptomOnly }
                return a.confidence > b.confidence
            }
            let files = reports.flatMap {
                try? FixReportWriter.write(candidates, signature: result.signature.signature, groupID: result.signature.groupID, to: $0)
            } ?? []
            return (candidates, files)
        }.value
        state.crashes.fixPreview?.candidates = candidates.0
        state.crashes.fixPreview?.reportFiles = candidates.1
        state.crashes.fixPreview?.busy = nil
        if let folder = reports, !candidates.1.isEmpty { state.message = StatusMessage("candidates written to \(folder)") }
    }

    private func applyFix(index: Int, stashFirst: Bool, history: CrashHistory) async {
        guard let setup = crashSetup, let root = setup.sourceRoot, let preview = state.crashes.fixPreview,
            index < preview.candidates.count, let diff = preview.candidates[index].diff
        else { return }
        let candidate = preview.candidates[index]
        let message = """
            crashwatch: \(candidate.title)

            Crash signature: \(preview.signature)
            Crash group: \(preview.groupKey)
            \(candidate.explanation)

            Evidence:
            \(candidate.evidence.map { "- " + $0 }.joined(separator: "\n"))
            """
        let outcome = await Task.detached(priority: .userInitiated) { () -> Result<GitPatchApplier.Applied, GitPatchApplier.Failure> in
            let applier = GitPatchApplier(root: root)
            do throws(GitPatchApplier.Failure) {
                if stashFirst { try applier.stash() }
                return .success(try applier.apply(diff: diff, groupID: preview.groupKey, message: message))
            } catch {
                return .failure(error)
            }
        }.value
        state.crashes.fixPreview?.busy = nil
        switch outcome {
        case .success(let applied):
            state.message = StatusMessage("applied on branch \(applied.branch) (commit \(applied.commit.prefix(12)))")
            if let groupID = preview.groupID {
                try? await history.recordDecision(FixDecisionRecord(
                    id: nil, groupID: groupID, time: WallClock.localSeconds(), decision: "approved", reason: candidate.title,
                    patch: diff, commitHash: applied.commit))
            }
        case .failure(let failure) where failure.kind == .dirtyTree:
            state.mode = .prompt(Prompt(kind: .dirtyTree(index: index)))
            state.message = StatusMessage(failure.description, isProblem: true)
        case .failure(let failure):
            state.message = StatusMessage(failure.description, isProblem: true)
        }
        state.needsRedraw = true
    }

    private func rejectFix(index: Int, reason: String, history: CrashHistory) async {
        guard let preview = state.crashes.fixPreview, index < preview.candidates.count else { return }
        let candidate = preview.candidates[index]
        if let groupID = preview.groupID {
            try? await history.recordDecision(FixDecisionRecord(
                id: nil, groupID: groupID, time: WallClock.localSeconds(), decision: "rejected",
                reason: "\(candidate.title): \(reason)", patch: candidate.diff ?? "", commitHash: nil))
            state.message = StatusMessage("rejected: \(reason) (kept with the crash group)")
        } else {
            state.message = StatusMessage("rejected: \(reason) (not stored: the crash is not in the history)", isProblem: true)
        }
        state.needsRedraw = true
    }

    // MARK: - File indexes (scrolling back to line 1 of any log)

    /// Builds, in the background, the index of every log that has none (at start, and after a restart emptied it).
    private func keepIndexesBuilt() {
        for (index, source) in sources.enumerated()
        where state.panes[index].archive == nil && !indexing.contains(index) && state.panes[index].buffer.totalLines > 0
            && (indexFailed[index].map { .now - $0 > .seconds(30) } ?? true)
        {
            indexing.insert(index)
            let path = source.path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
            state.panes[index].setIndexProgress(0)
            // Short-lived tasks are not kept in `tasks`: they end by themselves, and keeping them would grow the list.
            _ = (
                Task { @MainActor [weak self] in
                    let built = await Task.detached(priority: .utility) { () -> SparseLineIndex? in
                        try? SparseLineIndex.build(path: path, upTo: .max) { done in
                            let fraction = size > 0 ? min(1, Double(done) / size) : 1
                            Task { @MainActor [weak self] in
                                if self?.indexing.contains(index) == true { self?.state.panes[index].setIndexProgress(fraction) }
                                self?.state.needsRedraw = true
                            }
                        }
                    }.value
                    guard let self else { return }
                    self.indexing.remove(index)
                    if built == nil { self.indexFailed[index] = .now }
                    self.state.panes[index].setArchive(built)
                    self.state.needsRedraw = true
                })
        }
    }

    /// Reads back the file lines the panes asked for (extending the index over what was written meanwhile).
    private func runArchiveLoads() {
        guard !state.pendingArchiveLoads.isEmpty else { return }
        let loads = state.pendingArchiveLoads
        state.pendingArchiveLoads = []
        for load in loads {
            guard let archive = state.panes[load.pane].archive else { continue }
            _ = (
                Task { @MainActor [weak self] in
                    let result = await Task.detached(priority: .userInitiated) { () -> (SparseLineIndex, [LogLine])? in
                        let current = (try? archive.extended()) ?? archive
                        guard let lines = try? current.lines(from: load.top, count: load.count) else { return nil }
                        return (current, lines)
                    }.value
                    guard let self, let (index, lines) = result else { return }
                    if self.state.panes[load.pane].archive?.endOffset ?? 0 < index.endOffset {
                        self.state.panes[load.pane].setArchive(index)
                        self.state.panes[load.pane].browseArchive(top: load.top, height: load.count)
                    }
                    self.state.panes[load.pane].setArchiveWindow(top: load.top, lines: lines)
                    self.state.needsRedraw = true
                })
        }
    }

    // MARK: - Crash inbox and history

    private func startCrashInbox() {
        guard let setup = crashSetup else {
            state.crashes.watching = "no crash folder (crashes = \"…\" in crashwatch.toml)"
            return
        }
        state.crashes.historyProblem = setup.historyProblem
        guard !setup.folders.isEmpty else {
            state.crashes.watching = "no crash folder (crashes = \"…\" in crashwatch.toml)"
            state.pendingCommands.append(.refresh)
            return
        }
        let watcher = CrashFolderWatcher(folders: setup.folders)
        state.crashes.watching = "watching \(setup.folders.joined(separator: ", "))\(watcher.inotifyAvailable ? "" : " (polling)")"
        let service = CrashInboxService(analyzer: setup.analyzer, history: setup.history, sourceRoot: setup.sourceRoot)
        state.pendingCommands.append(.refresh)
        tasks.append(
            Task { @MainActor [weak self] in
                for await event in watcher {
                    guard let self else { return }
                    let evidence = self.recentEvidence()
                    if let item = await service.process(event, evidence: evidence) {
                        self.state.addInboxItem(item, imported: event.wasPresentAtStart)
                    }
                }
            })
        if let history = setup.history {
            // Crashes kept in memory while the database was locked or the disk full are written when possible.
            tasks.append(
                Task { @MainActor [weak self] in
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(5))
                        let waiting = await history.retryPending()
                        self?.state.crashes.historyProblem = waiting > 0 ? "\(waiting) crash(es) waiting to be saved" : setup.historyProblem
                    }
                })
        }
    }

    /// Timestamped lines still held by the log panes, for correlating a crash with what preceded it.
    private func recentEvidence() -> [LogEvidenceLine] {
        var lines: [LogEvidenceLine] = []
        for pane in state.panes {
            for line in pane.buffer.all.suffix(20_000) {
                guard let time = line.timestamp else { continue }
                lines.append(LogEvidenceLine(time: time.secondsSinceEpoch, source: pane.title, level: line.level?.description, text: String(line.message)))
            }
        }
        return lines.sorted { $0.time < $1.time }
    }

    private func runPendingCommands() {
        guard !state.pendingCommands.isEmpty else { return }
        if state.pendingCommands.contains(.revertLoopFix) {
            state.pendingCommands.removeAll { $0 == .revertLoopFix }
            if let effects = loopEffects {
                Task { @MainActor [weak self] in
                    let outcome = await effects.revertLastFix()
                    self?.state.message = StatusMessage(outcome)
                    self?.state.needsRedraw = true
                }
            }
            if state.pendingCommands.isEmpty { return }
        }
        let commands = state.pendingCommands
        state.pendingCommands = []
        guard let history = crashSetup?.history else { return }
        let sort = state.crashes.sort, filter = state.crashes.stateFilter, text = state.crashes.textFilter
        _ = (
            Task { @MainActor [weak self] in
                do {
                    for command in commands {
                        switch command {
                        case .refresh:
                            let groups = try await history.groups(sort: sort, text: text, state: filter, limit: 500)
                            self?.state.crashes.groups = groups
                        case .resolve(let id, let build): try await history.resolve(groupID: id, inBuild: build)
                        case .ignore(let id): try await history.ignore(groupID: id)
                        case .reopen(let id): try await history.reopen(groupID: id)
                        case .loadDetail(let id):
                            self?.state.crashes.detailOccurrences = try await history.occurrences(groupID: id, limit: 50)
                            self?.state.crashes.detailDecisions = try await history.decisions(groupID: id)
                            if let group = try await history.group(id: id) {
                                self?.state.crashes.detailSimilar = try await history.similarGroups(
                                    to: group.frames, excludingGroupKey: group.groupKey)
                            }
                        case .proposeFixes(let itemID, let groupID):
                            await self?.proposeFixes(inboxItemID: itemID, groupID: groupID, history: history)
                        case .applyFix(let index, let stashFirst):
                            await self?.applyFix(index: index, stashFirst: stashFirst, history: history)
                        case .rejectFix(let index, let reason):
                            await self?.rejectFix(index: index, reason: reason, history: history)
                        case .revertLoopFix:
                            break
                        }
                    }
                } catch {
                    self?.state.crashes.historyProblem = "\(error)"
                }
                self?.state.needsRedraw = true
            })
    }
}

/// Carries loop events to the app on the main actor (a `Sendable` handle for the loop's progress callback).
private struct LoopRecorder: Sendable {
    weak var app: DashboardApp?

    @MainActor
    func record(_ event: CrashLoop.Event) {
        app?.record(event)
    }
}
