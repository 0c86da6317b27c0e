public import AppCore
import CrashAnalysis
import CrashInbox
import CrashStore
import CrashwatchKit
import FixEngine
import Foundation
public import LogWatch
import Supervisor
import SystemPackage
public import TerminalUI

/// The live dashboard: keys → state → effects → runner, over any screen, drawing at most 20 frames a second and only
/// when something changed.
///
/// All state lives in one `DashboardState` on the main actor; each log is read by its own task (a `LogTail`) whose
/// batches are applied to that state. The state's `effects` are carried out by AppCore's `EffectRunner` and their
/// outcomes applied back. Drawing cost is per frame, never per line, so a chatty server cannot make the view fall
/// behind. Sessions run in tests on an `InMemoryScreen`.
@MainActor
public final class DashboardApp {
    public static let frameInterval = Duration.milliseconds(50)

    /// The state as of the last step, for tests and snapshots.
    public private(set) var state: DashboardState
    private let sources: [LogSourceSpec]
    private let theme: Theme
    private var tasks: [Task<Void, Never>] = []

    private let crashSetup: CrashSetup?
    private let runner: EffectRunner
    private let reading: LineReading
    private let loopSetup: LoopSetup?
    /// Ring the terminal bell for escalations, new crash groups and regressions (`bell = true`).
    private let bell: Bool
    /// Clicks and the wheel go to the dashboard (`mouse = false` leaves them to the terminal).
    private let mouse: Bool
    /// The `notify` command's runner, when one is set.
    private let notifier: Notifier?
    /// Where each log's runs are kept between starts (`D`); nil keeps nothing (the demo).
    private let runStore: RunStore?
    /// The loop waiting for the user's answer in the fix preview.
    private var loopWaiting: CheckedContinuation<Approval, Never>?
    private var loopSession: LoopSession?
    private let loopOutput = BoundedLineBuffer(capacity: 5_000)
    /// Set to stop the whole-file search under way.
    private var fileSearchStop: LockBox<Bool>?
    /// The screen `run(on:)` draws on, handed to the editor and back for `e`.
    private var screen: (any Screen)?
    /// Panes whose file index is being built.
    private var indexing: Set<Int> = []
    /// When a pane's index last could not be built: it is retried only after a while, never in a tight loop.
    private var indexFailed: [Int: ContinuousClock.Instant] = [:]

    public init(
        sources: [LogSourceSpec], theme: Theme, triage: TriageModel, crashSetup: CrashSetup? = nil,
        reading: LineReading = .standard, loop: LoopSetup? = nil, startupMessage: StatusMessage? = nil,
        banner: String? = nil, notifier: Notifier? = nil, bell: Bool = false, mouse: Bool = true,
        runStore: RunStore? = nil
    ) {
        self.runStore = runStore
        self.bell = bell
        self.mouse = mouse
        self.notifier = notifier
        self.reading = reading
        self.loopSetup = loop
        self.sources = sources
        self.theme = theme
        self.crashSetup = crashSetup
        runner = EffectRunner(setup: crashSetup, reading: reading)
        state = DashboardState(
            panes: sources.map { LogPane(title: $0.title, path: $0.path, levelAdvice: $0.levelAdvice) },
            size: Size(width: 80, height: 24),
            triage: triage, timeline: true)
        for (pane, source) in sources.enumerated() { state.runs[pane].saved = runStore?.load(forLog: source.path) }
        state.message = startupMessage
        state.banner = banner
    }

    /// Runs on the terminal until `q`, Ctrl-C, SIGTERM or SIGHUP.
    ///
    /// The terminal is restored on every way out, thrown errors included.
    public func run() async throws {
        let screen = NcursesScreen(theme: theme, mouse: mouse)
        defer { screen.end() }
        screen.installQuitSignals()
        try await run(on: screen)
    }

    /// Runs on `screen` until `q`, the screen's quit request or the cancellation of the calling task; every task the
    /// session started is cancelled on the way out.
    public func run(on screen: any Screen) async throws {
        defer { saveAllRuns() }
        defer {
            for task in tasks { task.cancel() }
            tasks = []
        }
        state.size = screen.size
        self.screen = screen
        defer { self.screen = nil }
        startLogTails()
        startCrashInbox()
        startLoop()
        startEscalationNotifications()
        startStashWatch()
        let clock = ContinuousClock()
        var lastFrame = clock.now - Self.frameInterval
        var lastSecond = clock.now
        var lastActivity = clock.now
        while !state.shouldQuit && !screen.quitRequested && !Task.isCancelled {
            while let key = screen.nextKey() {
                lastActivity = clock.now
                state.handle(key)
                if state.shouldQuit { return }
            }
            if !state.effects.isEmpty { lastActivity = clock.now }
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
            runEffects()
            let printed = loopOutput.drain()
            if !printed.isEmpty {
                state.loop?.addOutput(printed)
                if state.mode == .loopView { state.needsRedraw = true }
            }
            keepIndexesBuilt()
            if state.needsRedraw && now - lastFrame >= Self.frameInterval {
                state.now = now
                screen.present(DashboardRenderer.render(state))
                if state.wantsBell, bell { screen.ringBell() }
                state.wantsBell = false
                state.needsRedraw = false
                lastFrame = now
            }
            // Quick while something happens; idle, the loop sleeps on the terminal's input, so a key is answered at
            // once and a quiet dashboard costs next to nothing.
            if now - lastActivity < .seconds(1) {
                try await Task.sleep(for: .milliseconds(10))
            } else {
                await screen.waitForInput(timeout: .milliseconds(250))
                try Task.checkCancellation()
            }
        }
    }

    // MARK: - Logs

    private func startLogTails() {
        for (index, source) in sources.enumerated() {
            let tail = LogTail(path: FilePath(source.path), startAt: .tail(bytes: 8 * 1024 * 1024), reading: reading)
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
    }

    /// Builds, in the background, the index of every log that has none (at start, and after a restart emptied it).
    private func keepIndexesBuilt() {
        for (index, source) in sources.enumerated()
        where state.panes[index].archive == nil && !indexing.contains(index) && state.panes[index].buffer.totalLines > 0
            && (indexFailed[index].map { .now - $0 > .seconds(30) } ?? true)
        {
            indexing.insert(index)
            state.panes[index].setIndexProgress(0)
            let runner = runner
            let handle = AppHandle(app: self)
            // Short-lived tasks are not kept in `tasks`: they end by themselves, and keeping them would grow the list.
            _ = Task { @MainActor [weak self] in
                let built = await runner.buildIndex(path: source.path) { fraction in
                    Task { await handle.showIndexProgress(fraction, pane: index) }
                }
                guard let self else { return }
                self.indexing.remove(index)
                if built == nil { self.indexFailed[index] = .now }
                self.state.panes[index].setArchive(built)
                self.state.needsRedraw = true
            }
        }
    }

    // MARK: - Crash inbox

    private func startCrashInbox() {
        guard let setup = crashSetup else {
            state.crashes.watching = CrashInboxFeed.noFolder
            return
        }
        let feed = CrashInboxFeed(setup: setup)
        state.crashes.historyProblem = setup.historyProblem
        state.crashes.watching = feed.watching
        state.effects.append(.refresh)
        // The crashes of the last session, as the user left them (read or not).
        let runner = runner
        tasks.append(
            Task { @MainActor [weak self] in
                let restored = await runner.restoreInbox()
                self?.state.restoreInbox(restored)
            })
        guard !setup.folders.isEmpty else { return }
        tasks.append(
            Task { @MainActor [weak self] in
                for await event in feed.watcher {
                    guard let self else { return }
                    if let item = await feed.service.process(event, evidence: self.state.recentEvidence()) {
                        self.state.addInboxItem(item, imported: event.wasPresentAtStart)
                        if let notification = NotificationEvent.forCrash(item, origin: self.origin) {
                            self.post(notification)
                        }
                    }
                }
            })
        // Crashes kept in memory while the database was locked or the disk full are written when possible.
        tasks.append(
            Task { @MainActor [weak self] in
                await feed.retryPending { health in
                    await MainActor.run {
                        guard let self else { return }
                        let wasOffline = self.state.crashes.historyOffline != nil
                        self.state.crashes.historyProblem = health.paneText
                        self.state.crashes.waitingToSave = health.waiting
                        self.state.crashes.historyOffline = health.isOffline ? health.statusText : nil
                        // Back online: the panes show what was written meanwhile.
                        if wasOffline, !health.isOffline { self.state.effects.append(.refresh) }
                        self.state.needsRedraw = true
                    }
                }
            })
        // A shared history: what other hosts record or decide shows here within seconds.
        tasks.append(
            Task { @MainActor [weak self] in
                await feed.followChanges { _ in
                    await MainActor.run {
                        guard let self else { return }
                        self.state.effects.append(.refresh)
                        self.state.needsRedraw = true
                    }
                }
            })
    }

    // MARK: - The supervised loop

    private func startLoop() {
        guard let setup = loopSetup else { return }
        state.loop = LoopStatus(mode: setup.modeName)
        let output = loopOutput
        let session = LoopSession(
            setup: setup,
            decide: { [weak self] candidates, result in
                await self?.askUser(candidates, result) ?? .quit
            },
            output: { line, isError in output.append(isError ? "! " + line : line) })
        loopSession = session
        let handle = AppHandle(app: self)
        tasks.append(
            Task { @MainActor [weak self] in
                let ending = await session.run { event in await handle.record(event) }
                guard let self else { return }
                self.state.loop?.result = ending.reason.description
                if case .buildFailed = ending.reason { self.state.loop?.canRevert = true }
                self.state.loop?.reportPath = ending.reportPath
                self.state.message = StatusMessage(
                    (["loop: \(ending.reason)"] + ending.notes).joined(separator: " — "))
                self.state.needsRedraw = true
                self.post(NotificationEvent.forLoop(ending.reason, origin: self.origin))
            })
    }

    // MARK: - Notifications

    /// The host and realm notifications name.
    private var origin: HistoryOrigin { crashSetup?.history?.origin ?? .local }

    /// Hands `event` to the `notify` command in the background; a failure shows on the status bar.
    private func post(_ event: NotificationEvent) {
        guard let notifier else { return }
        notifier.post(event) { outcome in
            guard case .failed(let why) = outcome else { return }
            await MainActor.run { [weak self] in
                self?.state.notice(StatusMessage(why, isProblem: true))
                self?.state.needsRedraw = true
            }
        }
    }

    /// Every two seconds, says each template (warning or error) that started escalating since the last look, on
    /// the status bar and to `notify`.
    private func startEscalationNotifications() {
        tasks.append(
            Task { @MainActor [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(2))
                    guard let self else { return }
                    for row in self.state.announceEscalations() where self.notifier != nil {
                        self.post(NotificationEvent.forEscalation(row, origin: self.origin))
                    }
                }
            })
    }

    /// Watches for the user's return to the branch whose changes crashwatch stashed before a fix, to offer them back.
    private func startStashWatch() {
        guard crashSetup?.sourceRoot != nil else { return }
        let runner = runner
        tasks.append(
            Task { @MainActor [weak self] in
                while !Task.isCancelled {
                    let notice = await runner.stashNotice()
                    self?.state.noticeStash(notice)
                    try? await Task.sleep(for: .seconds(5))
                }
            })
    }

    fileprivate func record(_ event: CrashLoop.Event) {
        state.recordLoopEvent(event)
    }

    fileprivate func runsNotSaved(_ reason: String) {
        state.notice(StatusMessage("the log runs D compares could not be kept: \(reason)", isProblem: true))
        state.needsRedraw = true
    }

    fileprivate func showIndexProgress(_ fraction: Double, pane: Int) {
        guard indexing.contains(pane) else { return }
        state.panes[pane].setIndexProgress(fraction)
        state.needsRedraw = true
    }

    /// Shows the loop's candidates in the fix preview and waits for A or R.
    private func askUser(_ candidates: [FixCandidate], _ result: CrashAnalysisResult) async -> Approval {
        state.showLoopCandidates(candidates, for: result)
        return await withCheckedContinuation { continuation in
            loopWaiting = continuation
        }
    }

    /// Hands the user's answer from the fix preview to the waiting loop.
    private func answerLoop(_ decision: Effect.LoopDecision) {
        guard let waiting = loopWaiting else { return }
        loopWaiting = nil
        switch decision {
        case .approve(let index):
            let candidates = state.crashes.fixPreview?.candidates ?? []
            guard index < candidates.count else {
                waiting.resume(returning: .rejected(reason: "no such candidate"))
                return
            }
            state.message = StatusMessage(
                "approved: \(candidates[index].title) — the loop applies, rebuilds and retests (L)")
            waiting.resume(returning: .approved(candidates[index]))
        case .reject(let reason):
            waiting.resume(returning: .rejected(reason: reason))
        }
    }

    // MARK: - Effects

    /// Keeps a log's runs for the next start (in the background; a file that cannot be written is said once).
    private func saveRuns(pane: Int) {
        guard let runStore, pane < sources.count, let runs = state.runs[pane].toSave else { return }
        let path = sources[pane].path
        let handle = AppHandle(app: self)
        Task.detached {
            do {
                try runStore.save(runs, forLog: path)
            } catch {
                await handle.runsNotSaved("\(error.localizedDescription)")
            }
        }
    }

    /// Keeps every log's runs, at the end of a session.
    private func saveAllRuns() {
        guard let runStore else { return }
        for (pane, source) in sources.enumerated() {
            guard let runs = state.runs[pane].toSave else { continue }
            try? runStore.save(runs, forLog: source.path)
        }
    }

    /// Carries out what the state asked for since the last step: quick answers at once, I/O in one task, in order.
    private func runEffects() {
        guard !state.effects.isEmpty else { return }
        let effects = state.effects
        state.effects = []
        var ordered: [Effect] = []
        for effect in effects {
            switch effect {
            case .answerLoop(let decision): answerLoop(decision)
            case .loadArchive(let pane, let top, let count): loadArchive(pane: pane, top: top, count: count)
            case .searchFile(let request): searchFile(request)
            case .cancelFileSearch: fileSearchStop?.withLock { $0 = true }
            case .saveRuns(let pane): saveRuns(pane: pane)
            case .revertLoopFix: revertLoopFix()
            case .editFix(let index): editFix(index)
            case .markRead(let id):
                if let item = state.crashes.inbox.first(where: { $0.id == id }), let result = item.result {
                    let runner = runner
                    Task.detached { await runner.markRead(reportPath: item.path, rawText: result.report.rawText) }
                }
            default: ordered.append(effect)
            }
        }
        guard !ordered.isEmpty, crashSetup?.history != nil else { return }
        _ = Task { @MainActor [weak self] in
            do {
                for effect in ordered { try await self?.perform(effect) }
            } catch {
                self?.state.crashes.historyProblem = "\(error)"
            }
            self?.state.needsRedraw = true
        }
    }

    private func perform(_ effect: Effect) async throws {
        switch effect {
        case .refresh:
            let crashes = state.crashes
            let page = try await runner.groups(
                sort: crashes.sort, text: crashes.textFilter, state: crashes.stateFilter)
            state.showGroups(page.groups, sightings: page.sightings)
        case .resolve(let id, let build): try await runner.resolve(groupID: id, inBuild: build)
        case .ignore(let id): try await runner.ignore(groupID: id)
        case .reopen(let id): try await runner.reopen(groupID: id)
        case .loadDetail(let id):
            let detail = try await runner.detail(groupID: id)
            state.crashes.detailOccurrences = detail.occurrences
            state.crashes.detailDiagnosis = detail.latestDiagnosis
            state.crashes.detailDecisions = detail.decisions
            state.crashes.detailSimilar = detail.similar
            state.crashes.detailSightings = detail.sightings
        case .proposeFixes(let itemID, let groupID):
            let analysed = itemID.flatMap { id in state.crashes.inbox.first { $0.id == id } }?.result
            let groupSize = groupID.flatMap { id in state.crashes.groups.first { $0.id == id }?.count } ?? 1
            state.showProposal(await runner.proposeFixes(for: analysed, groupID: groupID, groupSize: groupSize))
        case .applyFix(let index, let stashFirst):
            guard let preview = state.crashes.fixPreview, index < preview.candidates.count else { return }
            let outcome = await runner.applyFix(
                preview.candidates[index], signature: preview.signature, groupKey: preview.groupKey,
                groupID: preview.groupID, stashFirst: stashFirst)
            state.showApplied(outcome, candidateIndex: index)
        case .rejectFix(let index, let reason):
            guard let preview = state.crashes.fixPreview, index < preview.candidates.count else { return }
            let stored = await runner.rejectFix(preview.candidates[index], reason: reason, groupID: preview.groupID)
            state.showRejected(reason: reason, stored: stored)
        case .popStash:
            state.message = StatusMessage(await runner.popStash())
            state.stashNotice = nil
        case .revertFix(let groupKey):
            state.message = StatusMessage(await runner.revertFix(groupKey: groupKey))
            state.effects.append(.refresh)
        case .revertLoopFix, .answerLoop, .loadArchive, .markRead, .searchFile, .cancelFileSearch, .editFix, .saveRuns:
            break
        }
    }

    /// `e`: the patch goes to the user's editor with the terminal (the dashboard waits, as git does for a commit
    /// message), and what comes back is checked and compiled again before it can be approved.
    private func editFix(_ index: Int) {
        guard let preview = state.crashes.fixPreview, index < preview.candidates.count,
            let diff = preview.candidates[index].diff
        else { return }
        let scratch = TemporaryDirectory("crashwatch-edit")
        let file = scratch.file("crashwatch-\(preview.groupKey.prefix(12))-\(index + 1).patch")
        do {
            try diff.write(toFile: file, atomically: false, encoding: .utf8)
        } catch {
            state.message = StatusMessage("the patch could not be written for the editor: \(error)", isProblem: true)
            return
        }
        let editor = ForegroundJob.editor()
        screen?.suspend()
        let status = ForegroundJob.run(editor, on: file)
        screen?.resume()
        state.needsRedraw = true
        guard status == 0 else {
            state.message = StatusMessage(
                "\(editor) \(status.map { "exited with status \($0)" } ?? "could not run or was killed"); the patch is as it was",
                isProblem: true)
            return
        }
        guard let edited = try? String(contentsOfFile: file, encoding: .utf8), edited != diff else {
            state.message = StatusMessage("the patch is unchanged")
            return
        }
        let candidate = preview.candidates[index]
        state.crashes.fixPreview?.busy = "checking and compiling your edit…"
        let runner = runner
        _ = Task { @MainActor [weak self] in
            let checked = await runner.recheck(candidate, editedDiff: edited)
            self?.state.showEdited(checked, index: index)
            self?.state.needsRedraw = true
            withExtendedLifetime(scratch) {}
        }
    }

    private func revertLoopFix() {
        guard let effects = loopSession?.effects else { return }
        _ = Task { @MainActor [weak self] in
            let outcome = await effects.revertLastFix()
            self?.state.message = StatusMessage(outcome)
            self?.state.needsRedraw = true
        }
    }

    fileprivate func showFileSearchProgress(_ request: FileSearchRequest, fraction: Double) {
        state.fileSearchProgressed(request, fraction: fraction)
    }

    /// Searches a pane's whole file in the background; progress and the answer go to the state, Esc stops it.
    private func searchFile(_ request: FileSearchRequest) {
        guard request.pane < state.panes.count, let archive = state.panes[request.pane].archive else {
            state.fileSearchFinished(request, line: nil)
            return
        }
        let stop = LockBox(false)
        fileSearchStop = stop
        let runner = runner
        let handle = AppHandle(app: self)
        _ = Task { @MainActor [weak self] in
            var pattern: String?
            var levels: Set<LogLevel> = []
            var time: Int64?
            switch request.target {
            case .text(let text): pattern = text
            case .levels(let wanted): levels = wanted
            case .time(let seconds): time = seconds
            }
            let found = await runner.findInFile(
                archive, pattern: pattern, levels: levels, time: time, from: request.from, forward: request.forward,
                stop: stop
            ) { fraction in
                Task { await handle.showFileSearchProgress(request, fraction: fraction) }
            }
            guard let self, !stop.value else { return }
            switch found {
            case .success(let (index, line)):
                if index.endOffset > self.state.panes[request.pane].archive?.endOffset ?? 0 {
                    self.state.panes[request.pane].setArchive(index)
                }
                self.state.fileSearchFinished(request, line: line)
            case .failure(let problem):
                self.state.fileSearch = nil
                self.state.message = StatusMessage(problem.description, isProblem: true)
            }
            self.state.needsRedraw = true
        }
    }

    /// Reads back the file lines a pane asked for (extending the index over what was written meanwhile).
    private func loadArchive(pane: Int, top: Int, count: Int) {
        guard pane < state.panes.count, let archive = state.panes[pane].archive else { return }
        let runner = runner
        _ = Task { @MainActor [weak self] in
            guard let (index, lines) = await runner.readLines(archive, top: top, count: count), let self else { return }
            if self.state.panes[pane].archive?.endOffset ?? 0 < index.endOffset {
                self.state.panes[pane].setArchive(index)
                self.state.panes[pane].browseArchive(top: top, height: count)
            }
            self.state.panes[pane].setArchiveWindow(top: top, lines: lines)
            self.state.needsRedraw = true
        }
    }
}

/// Carries progress from background work to the app on the main actor (a `Sendable`, weak handle for callbacks).
private struct AppHandle: Sendable {
    weak var app: DashboardApp?

    @MainActor
    func record(_ event: CrashLoop.Event) {
        app?.record(event)
    }

    @MainActor
    func runsNotSaved(_ reason: String) {
        app?.runsNotSaved(reason)
    }

    @MainActor
    func showIndexProgress(_ fraction: Double, pane: Int) {
        app?.showIndexProgress(fraction, pane: pane)
    }

    @MainActor
    func showFileSearchProgress(_ request: FileSearchRequest, fraction: Double) {
        app?.showFileSearchProgress(request, fraction: fraction)
    }
}
