public import AppCore
import CrashAnalysis
import CrashwatchKit
public import LogWatch
public import TerminalUI

/// Everything the dashboard shows, as a value: panes, focus, prompt, messages, size and the time of the frame.
///
/// Pure: keys and log batches go in, a frame comes out through `DashboardRenderer`, and work for the app goes out as
/// `effects`. The app loop owns one and feeds it. Split by concern: this file holds the panes, focus and the log keys;
/// `+Logs` the evidence the panes hold, `+Triage` the errors and warnings panes, `+Crashes` the inbox, history and
/// detail, `+FixPreview` the fix preview, `+Loop` the supervised loop.
public struct DashboardState: Sendable {
    public var panes: [LogPane]
    /// The focused pane; for a log pane, its `rawValue` is the index in `panes`.
    public var focus = PaneKind.serverLog
    public var triage: TriageModel
    public var errorSelection = TriageSelection()
    public var crashes = CrashViews()
    /// Work for the app to do, in order (the state does no I/O); see `Effect`.
    public var effects: [Effect] = []
    /// The supervised loop, when one runs (`crashwatch demo`, `crashwatch loop`).
    public var loop: LoopStatus?
    public var warningSelection = TriageSelection()
    /// Wall-clock seconds (local time, on the `CivilTime` scale) stamped on lines that carry no time.
    public var wallSeconds: Int64 = 0
    public var size: Size
    public var mode: InputMode = .normal
    /// The focused pane alone on the whole screen (`z`).
    public var zoomed = false
    public var message: StatusMessage? {
        didSet { messageShownAt = now }
    }
    /// When the current message was put up (the frame's time).
    public private(set) var messageShownAt: ContinuousClock.Instant?
    /// What was typed at each kind of prompt, oldest first, for Up and Down.
    public var promptHistory: [String: [String]] = [:]
    public private(set) var shouldQuit = false
    /// The time rates are computed at.
    public var now: ContinuousClock.Instant
    /// An optional line under the panes' titles, such as what the demo is doing.
    public var banner: String?
    /// True when anything visible changed since the last frame.
    public var needsRedraw = true
    /// How far the `?` list is scrolled.
    public var helpScroll = 0
    /// The view `?` was pressed in, whose keys the list shows and to which it returns.
    public var helpReturn: InputMode?
    /// Something the bell is for happened since the last frame (the app rings it when `bell = true`).
    public var wantsBell = false
    /// The changes crashwatch stashed before applying a fix, while they wait in the stash.
    public var stashNotice: EffectRunner.StashNotice?
    /// Templates already announced as escalating, so each escalation is said once.
    public var announcedEscalations: Set<String> = []
    /// Error templates escalating at the last look (the errors pane's title; ranking them every frame costs).
    public var escalatingErrorTemplates = 0
    /// The whole-file search under way, and how far it got (0…1).
    public var fileSearch: FileSearchRequest?
    public var fileSearchProgress = 0.0

    public init(
        panes: [LogPane], size: Size, now: ContinuousClock.Instant = .now,
        triage: TriageModel = TriageModel(
            templater: MessageTemplater(rules: MaskingRules()), suspicious: SuspiciousRules()),
        timeline: Bool = false
    ) {
        // The timeline goes last, in pane 2's turn, when there are logs to merge.
        self.panes = timeline && panes.count > 1 ? panes + [LogPane.timeline()] : panes
        runs = self.panes.map { RunTracker.forLog(titled: $0.title) }
        self.size = size
        self.now = now
        self.triage = triage
    }

    /// Each log's runs (parallel to `panes`; the timeline's stays empty): what `D` compares.
    public var runs: [RunTracker]
    /// When the server log last showed the server starting (local civil seconds).
    var serverRestartedAt: Int64?

    /// Per log, the time its last line was ordered by in the timeline.
    var timelineClock: [String: Int64] = [:]

    /// The log pane 2 showed before `T` put the timeline there.
    var timelineReturnSlot = 1

    /// Which log pane pane 2 shows (the bot log, or another log the server writes: 2 again goes on).
    public var secondSlot = 1

    /// The index in `panes` of the log a pane kind shows; nil for the other kinds.
    public func paneIndex(for kind: PaneKind) -> Int? {
        switch kind {
        case .serverLog: panes.isEmpty ? nil : 0
        case .playerbotLog: panes.count > 1 ? min(secondSlot, panes.count - 1) : nil
        default: nil
        }
    }

    /// The index of the timeline pane, when there is one (always the last).
    public var timelineIndex: Int? { panes.last?.isTimeline == true ? panes.count - 1 : nil }

    /// Copies of a log's lines for the timeline: marked with their source, ordered by their time; a line without one
    /// keeps its place after the line before it in the same log.
    mutating func timelineLines(_ lines: [LogLine], from source: String) -> [LogLine] {
        var copies: [LogLine] = []
        copies.reserveCapacity(lines.count)
        for var line in lines {
            let seconds =
                line.placedSeconds ?? timelineClock[source]
                ?? timelineIndex.flatMap { panes[$0].buffer.all.last?.origin?.sortSeconds } ?? .min
            timelineClock[source] = seconds
            line.origin = LogLine.Origin(source: source, number: line.number, sortSeconds: seconds)
            copies.append(line)
        }
        return copies
    }

    /// The log pane keys act on: the focused one.
    var focusedLog: Int { paneIndex(for: focus) ?? 0 }

    var layout: DashboardLayout {
        DashboardLayout(size: size, logPaneCount: panes.count, focus: focus, zoomed: zoomed)
    }

    /// Body height of the focused pane, the unit of page moves.
    var focusedBodyHeight: Int { max(1, layout.areas[focus]?.body.height ?? 1) }
    var focusedBodyWidth: Int { max(1, layout.areas[focus]?.body.width ?? 1) }

    /// Rows of the warnings pane, what needs attention first.
    public var warningRows: [EscalationTracker.Row] {
        let rows = pausedWarnings ?? triage.warnings.rows()
        guard let filter = listFilters[.warnings] else { return rows }
        return rows.filter { filter.matches($0.stats.template) }
    }

    /// The `/` searches of the errors and warnings panes.
    public var listSearches: [PaneKind: LineFilter] = [:]
    /// The `f` filters of the errors and warnings panes.
    public var listFilters: [PaneKind: LineFilter] = [:]
    /// The errors and warnings panes as they were when `=` paused them (nil: live), and the counts then.
    public var pausedErrors: [ErrorRing.Entry]?
    public var pausedWarnings: [EscalationTracker.Row]?
    public var errorsSeenAtPause = 0
    public var warningLinesAtPause = 0

    /// Errors newest first, by their own time (two logs read in turn arrive slightly out of order).
    public var errorRows: [ErrorRing.Entry] {
        let rows =
            pausedErrors
            ?? Array(
                triage.errors.entries.enumerated().sorted {
                    $0.element.lastSeconds != $1.element.lastSeconds
                        ? $0.element.lastSeconds > $1.element.lastSeconds : $0.offset > $1.offset
                }.map(\.element))
        guard let filter = listFilters[.errors] else { return rows }
        return rows.filter { filter.matches($0.message) }
    }

    // MARK: - Log input

    /// Applies a batch of lines and file events to a pane.
    /// - Parameter live: false when replaying a file at once (`crashwatch render`), so the lines do not count as a rate.
    public mutating func ingest(_ batch: LogBatch, into paneIndex: Int, live: Bool = true) {
        let guessedBefore = panes[paneIndex].buffer.inferredLevelCount
        for event in batch.events where event == .truncated || event == .rotated {
            startRun(pane: paneIndex, live: live && !batch.isBacklog)
        }
        var batch = batch
        if live, !batch.isBacklog, wallSeconds > 0 {
            for index in batch.lines.indices where batch.lines[index].timestamp == nil {
                batch.lines[index].readSeconds = wallSeconds
            }
        }
        let notable = panes[paneIndex].ingest(batch, at: live && !batch.isBacklog ? now : nil)
        if let timeline = timelineIndex, timeline != paneIndex, !batch.lines.isEmpty {
            panes[timeline].merge(
                timelineLines(batch.lines, from: panes[paneIndex].title), at: live && !batch.isBacklog ? now : nil)
        }
        if guessedBefore == 0, panes[paneIndex].buffer.inferredLevelCount > 0, message == nil {
            let name = panes[paneIndex].title
            let appender = name.hasPrefix("Playerbot") ? "Playerbot" : "Server"
            let advice =
                panes[paneIndex].levelAdvice
                ?? "for real ones set Appender.\(appender)=2,2,7,\(name),w in worldserver.conf"
            message = StatusMessage("\(name) has no level prefix: levels are guessed from its messages; \(advice)")
        }
        let source = panes[paneIndex].title
        let isBotLog = source.lowercased().contains("bot")
        for line in batch.lines {
            if paneIndex == 0, UntimedLog.startsRun(line.message) {
                startRun(pane: 0, live: live && !batch.isBacklog)
            }
            let template = triage.ingest(
                line, pane: paneIndex, source: source, readTime: wallSeconds, isBotLog: isBotLog)
            if runs[paneIndex].counts(line) {
                runs[paneIndex].add(line, template: template ?? triage.templater.template(line.message))
            }
        }
        if !batch.lines.isEmpty { followSelections([.errors, .warnings]) }
        let name = panes[paneIndex].title
        for event in notable {
            switch event {
            case .truncated:
                notice(
                    StatusMessage("\(name) was truncated (server restart?); following the new run", priority: .routine))
            case .rotated: notice(StatusMessage("\(name) was rotated; following the new file", priority: .routine))
            case .missing:
                // The pane's title says "waiting for file" too: never hide a start-up problem behind this.
                if message == nil {
                    message = StatusMessage("\(name) does not exist yet; waiting for it", isProblem: true)
                }
            case .failed(let reason): message = StatusMessage(reason, isProblem: true)
            case .opened: break
            }
        }
        if !batch.lines.isEmpty || !notable.isEmpty { needsRedraw = true }
    }

    /// Shows a message that arrived by itself (not as the answer to a key): it does not push an important message
    /// off the bar before that one has been seen for `StatusMessage.minimumTime`.
    public mutating func notice(_ new: StatusMessage) {
        if let current = message, current.priority == .important, new.priority < .important, let shown = messageShownAt,
            now - shown < StatusMessage.minimumTime
        {
            return
        }
        message = new
    }

    // MARK: - Keys

    public mutating func handle(_ key: Key) {
        needsRedraw = true
        if key == .resize { return }
        if case .mouse(let event) = key {
            handleMouse(event)
            return
        }
        switch mode {
        case .help:
            // The list scrolls when it is taller than the screen; any other key closes it.
            switch key {
            case .character("j"), .down: helpScroll += 1
            case .character("k"), .up: helpScroll = max(0, helpScroll - 1)
            case .character(" "), .pageDown: helpScroll += max(1, size.height - 4)
            case .character("b"), .pageUp: helpScroll = max(0, helpScroll - max(1, size.height - 4))
            default:
                helpScroll = 0
                // Back to the view the list was opened from (the detail view, the fix preview).
                mode = helpReturn ?? .normal
                helpReturn = nil
            }
        case .prompt(var prompt):
            handlePrompt(key, &prompt)
        case .occurrences(let template):
            handleOccurrences(key, template: template)
        case .crashDetail(let detail):
            handleCrashDetail(key, detail)
        case .fixPreview:
            handleFixPreview(key)
        case .lineView:
            mode = .normal
        case .runChanges(let pane, let row):
            handleRunChanges(key, pane: pane, row: row)
        case .loopView:
            if key == .character("U"), loop?.canRevert == true {
                effects.append(.revertLoopFix)
                loop?.canRevert = false
                message = StatusMessage("reverting the applied fix…")
                return
            }
            mode = .normal
        case .normal:
            if key == .escape, fileSearch != nil {
                fileSearch = nil
                effects.append(.cancelFileSearch)
                message = StatusMessage("search cancelled")
                return
            }
            if focus.isCrash, let action = KeyTable.crashByKey[key] {
                message = nil
                performCrash(action)
                return
            }
            if !focus.isLog, let action = KeyTable.triageByKey[key] {
                message = nil
                performTriage(action)
                return
            }
            guard let action = KeyTable.logByKey[key] else {
                if case .character(let c) = key { message = StatusMessage("no command on \(c) — press ? for keys") }
                return
            }
            message = nil
            perform(action)
        }
    }

    mutating func perform(_ action: KeyTable.LogAction) {
        let height = focusedBodyHeight
        switch action {
        case .nextPane:
            let next = focus.rawValue + 1
            focus =
                next < min(panes.count, 2)
                ? PaneKind(rawValue: next)!
                : (focus.rawValue < PaneKind.errors.rawValue
                    ? .errors : PaneKind(rawValue: next % PaneKind.allCases.count)!)
            if focus == .history { effects.append(.refresh) }
            return
        case .focusFirst: focus = .serverLog; return
        case .focusSecond:
            if focus == .playerbotLog, panes.count > 2 {
                // Pane 2 shows one log at a time; 2 again goes on to the next one.
                secondSlot = secondSlot + 1 < panes.count ? secondSlot + 1 : 1
                message = StatusMessage(
                    "pane 2 shows \(panes[secondSlot].title) (\(secondSlot) of \(panes.count - 1); 2 again: the next log)"
                )
            }
            focus = panes.count > 1 ? .playerbotLog : .serverLog
            return
        case .timeline:
            guard let timeline = timelineIndex else {
                message = StatusMessage("the timeline merges two or more logs; one is followed", isProblem: true)
                return
            }
            // T again goes back to the log pane 2 showed before.
            if focus == .playerbotLog, secondSlot == timeline {
                secondSlot = timelineReturnSlot
            } else {
                if secondSlot != timeline { timelineReturnSlot = secondSlot }
                secondSlot = timeline
                focus = .playerbotLog
                message = StatusMessage(
                    "timeline: \(panes.count - 1) logs merged by time, each line marked with its log (T: back)")
            }
            focus = .playerbotLog
            return
        case .focusErrors: focus = .errors; return
        case .focusWarnings: focus = .warnings; return
        case .focusInbox: focus = .inbox; return
        case .focusHistory:
            focus = .history
            effects.append(.refresh)
            return
        case .help: mode = .help; return
        case .zoom:
            zoomed.toggle()
            return
        case .showLoop:
            if crashes.fixPreview?.forLoop == true {
                mode = .fixPreview
                message = StatusMessage("the loop waits: A approve, R reject, Esc decide later")
            } else if loop == nil {
                message = StatusMessage(
                    "no supervised loop is running (crashwatch loop, or crashwatch demo)", isProblem: true)
            } else {
                mode = .loopView
            }
            return
        case .quit:
            // Quitting must not drop crashes the history has not taken yet without a word.
            if crashes.waitingToSave > 0, !crashes.quitWarned {
                crashes.quitWarned = true
                message = StatusMessage(
                    crashes.historyOffline != nil
                        ? "\(crashes.waitingToSave) crash(es) wait in the local outbox for the shared history; they are sent when it is back, at the next start too — q again to quit"
                        : "\(crashes.waitingToSave) crash(es) are not saved yet (\(crashes.historyProblem ?? "the history is busy")); their reports stay in the crash folder and are read again at the next start — q again to quit",
                    isProblem: true)
                return
            }
            shouldQuit = true
            return
        case .togglePause where focus == .errors:
            if pausedErrors == nil {
                // The whole pane is kept, so that changing the filter while paused still works on all of it.
                let filter = listFilters[.errors]
                listFilters[.errors] = nil
                pausedErrors = errorRows
                listFilters[.errors] = filter
                errorsSeenAtPause = triage.errors.total
            } else {
                pausedErrors = nil
            }
            return
        case .togglePause where focus == .warnings:
            if pausedWarnings == nil {
                pausedWarnings = triage.warnings.rows()
                warningLinesAtPause = triage.warnings.templates.values.reduce(0) { $0 + $1.total }
            } else {
                pausedWarnings = nil
            }
            return
        case .togglePause where focus == .history:
            crashes.historyPaused.toggle()
            crashes.historyChangedWhilePaused = 0
            if !crashes.historyPaused { effects.append(.refresh) }
            message = StatusMessage(
                crashes.historyPaused
                    ? "history paused: changes are counted in its title (= shows them)" : "history: live again")
            return
        case .filter where focus == .history:
            mode = .prompt(Prompt(kind: .historyFilter))
            return
        case .togglePause where focus == .inbox:
            if crashes.pausedInbox == nil {
                crashes.pausedInbox = Set(crashes.inbox.map(\.id))
                message = StatusMessage("inbox paused: new crashes are counted in its title (= shows them)")
            } else {
                crashes.pausedInbox = nil
                message = StatusMessage("inbox: showing new crashes again")
            }
            return
        case .filter where focus == .errors || focus == .warnings || focus == .inbox:
            mode = .prompt(Prompt(kind: .listFilter(focus)))
            return
        case .search where focus == .errors || focus == .warnings:
            mode = .prompt(Prompt(kind: .listSearch(focus)))
            return
        case .nextMatch where focus == .errors || focus == .warnings,
            .previousMatch where focus == .errors || focus == .warnings:
            findRow(forward: action == .nextMatch, fromCurrent: false)
            return
        default: break
        }
        guard focus.isLog, paneIndex(for: focus) != nil else {
            message = StatusMessage("that key works in the log panes (1, 2); ? lists this pane's keys", isProblem: true)
            return
        }
        if let position = panes[focusedLog].archivePosition, let search = fileTarget(for: action) {
            // In file mode every search goes through the whole file.
            guard let search else { return }
            searchFile(search.target, forward: search.forward, from: position, wraps: search.wraps)
            return
        }
        if let top = panes[focusedLog].archiveTop {
            // Browsing the file through its index: moves read lines back from the file.
            let step: Int?
            switch action {
            case .lineDown: step = 1
            case .lineUp: step = -1
            case .pageDown: step = max(1, height - 1)
            case .pageUp: step = -max(1, height - 1)
            case .top: step = -top
            default: step = nil
            }
            if let step {
                browse(to: top + step, height: height)
                return
            }
            panes[focusedLog].leaveArchive()
        } else if action == .top, panes[focusedLog].hasLinesOutsideMemory {
            browse(to: 1, height: height)
            message = StatusMessage(
                "\(panes[focusedLog].title) from line 1, read back from the file (G follows again)")
            return
        }
        switch action {
        case .lineDown: panes[focusedLog].scroll(by: 1, height: height)
        case .lineUp: panes[focusedLog].scroll(by: -1, height: height)
        case .pageDown: panes[focusedLog].scroll(by: max(1, height - 1), height: height)
        case .pageUp: panes[focusedLog].scroll(by: -max(1, height - 1), height: height)
        case .top: panes[focusedLog].goToTop()
        case .bottom: panes[focusedLog].goToBottomAndFollow()
        case .togglePause:
            panes[focusedLog].togglePause()
            message = StatusMessage(
                panes[focusedLog].pausedAt == nil
                    ? "\(panes[focusedLog].title): showing new lines again"
                    : "\(panes[focusedLog].title): paused; new lines are kept and counted (= or G to resume)")
        case .search: mode = .prompt(Prompt(kind: .search))
        case .filter: mode = .prompt(Prompt(kind: .filter))
        case .filterOut: mode = .prompt(Prompt(kind: .filterOut))
        case .command: mode = .prompt(Prompt(kind: .command))
        case .runChanges: openRunChanges()
        case .toggleMark: toggleMark()
        case .openLine:
            guard let line = panes[focusedLog].currentLine(height: height) else {
                message = StatusMessage("no line to open", isProblem: true)
                return
            }
            mode = .lineView(pane: focusedLog, number: line.number, inFile: panes[focusedLog].archiveTop != nil)
        case .toggleWrap:
            panes[focusedLog].wraps.toggle()
            panes[focusedLog].column = 0
            message = StatusMessage(
                "\(panes[focusedLog].title): long lines \(panes[focusedLog].wraps ? "wrap" : "are cut (→ ← scroll)") (| toggles)"
            )
        case .nextMark, .previousMark:
            let marks = panes[focusedLog].marks
            guard !marks.isEmpty else {
                message = StatusMessage("no marks in \(panes[focusedLog].title) — m marks a line", isProblem: true)
                return
            }
            let direction: LogPane.Direction = action == .nextMark ? .forward : .backward
            if !panes[focusedLog].jump(direction, height: height, where: { marks.contains($0.number) }) {
                message = StatusMessage(
                    "no \(direction == .forward ? "later" : "earlier") mark (\(marks.count) in \(panes[focusedLog].title))",
                    isProblem: true)
            }
        case .levels:
            var filter = panes[focusedLog].filter ?? PaneFilter()
            filter.levels = filter.levels.next
            panes[focusedLog].setFilter(filter)
            message = StatusMessage("\(panes[focusedLog].title): \(filter.levels.name) (l: next)")
        case .nextMatch, .previousMatch:
            guard let search = panes[focusedLog].search else {
                message = StatusMessage("no search yet — press / to search", isProblem: true)
                return
            }
            let direction: LogPane.Direction = action == .nextMatch ? .forward : .backward
            if !panes[focusedLog].jump(direction, height: height, where: { search.matches($0.text) }),
                !searchPastMemory(.text(search.pattern), forward: direction == .forward, wraps: true)
            {
                message = StatusMessage(
                    "no \(direction == .forward ? "later" : "earlier") match for \(search)\(indexingNote)",
                    isProblem: true)
            }
        case .nextError, .previousError:
            jump(action == .nextError ? .forward : .backward, kind: "error", levels: [.error, .fatal]) {
                $0.level?.isError == true && !$0.isContinuation
            }
        case .nextWarning, .previousWarning:
            jump(action == .nextWarning ? .forward : .backward, kind: "warning", levels: [.warn]) {
                $0.level == .warn && !$0.isContinuation
            }
        case .scrollRight: panes[focusedLog].column += max(8, focusedBodyWidth / 2)
        case .scrollLeft:
            panes[focusedLog].column = max(0, panes[focusedLog].column - max(8, focusedBodyWidth / 2))
        case .lineStart: panes[focusedLog].column = 0
        case .lineEnd:
            let longest = panes[focusedLog].visibleLines(height: height).map { DisplayWidth.of($0.text) }.max() ?? 0
            panes[focusedLog].column = max(0, longest - focusedBodyWidth)
        case .nextPane, .focusFirst, .focusSecond, .focusErrors, .focusWarnings, .focusInbox, .focusHistory, .help,
            .quit, .showLoop, .zoom, .timeline, .runChanges:
            break
        }
    }

    private mutating func browse(to top: Int, height: Int) {
        panes[focusedLog].browseArchive(top: top, height: height)
        if let start = panes[focusedLog].archiveTop {
            effects.append(.loadArchive(pane: focusedLog, top: start, count: height))
        }
    }

    /// Focuses a log pane and shows line `number` there, when it is still held.
    mutating func jumpToLine(pane: Int, number: Int) {
        guard pane < panes.count else { return }
        if pane > 0 { secondSlot = pane }
        focus = pane == 0 ? .serverLog : .playerbotLog
        if !panes[pane].jump(toNumber: number, height: focusedBodyHeight) {
            message = StatusMessage(
                "line \(number) of \(panes[pane].title) is no longer held in memory (the oldest held is \(panes[pane].buffer.firstNumber))",
                isProblem: true)
        }
    }

    private mutating func jump(
        _ direction: LogPane.Direction, kind: String, levels: Set<LogLevel>, where predicate: (LogLine) -> Bool
    ) {
        if !panes[focusedLog].jump(direction, height: focusedBodyHeight, where: predicate),
            !searchPastMemory(.levels(levels), forward: direction == .forward, wraps: false)
        {
            message = StatusMessage(
                "no \(direction == .forward ? "later" : "earlier") \(kind) in \(panes[focusedLog].title)\(indexingNote)",
                isProblem: true)
        }
    }

    // MARK: - The whole file

    /// What a key looks for in the whole file; nil for keys that are no search, `.some(nil)` when `n` has no search.
    private mutating func fileTarget(for action: KeyTable.LogAction) -> (
        target: FileSearchRequest.Target, forward: Bool, wraps: Bool
    )?? {
        switch action {
        case .nextMatch, .previousMatch:
            guard let search = panes[focusedLog].search else {
                message = StatusMessage("no search yet — press / to search", isProblem: true)
                return .some(nil)
            }
            return (.text(search.pattern), action == .nextMatch, true)
        case .nextError, .previousError: return (.levels([.error, .fatal]), action == .nextError, false)
        case .nextWarning, .previousWarning: return (.levels([.warn]), action == .nextWarning, false)
        default: return nil
        }
    }

    /// Goes on into the file when the held lines had no answer.
    ///
    /// Back from the oldest held line, or (a search going forward from the newest line) round to the top. False when
    /// the pane has no index yet.
    private mutating func searchPastMemory(_ target: FileSearchRequest.Target, forward: Bool, wraps: Bool) -> Bool {
        guard let archive = panes[focusedLog].archive, let oldest = panes[focusedLog].oldestHeldFileLine else {
            return false
        }
        if forward {
            // The held lines are the file's newest: past them there is only the top of the file, for a search.
            guard wraps else { return false }
            searchFile(target, forward: true, from: archive.lineCount, wraps: true)
        } else {
            guard oldest > 1 || wraps else { return false }
            searchFile(target, forward: false, from: oldest, wraps: wraps)
        }
        return true
    }

    /// Said after "no match": the whole file is searched once its index is built.
    private var indexingNote: String {
        if panes[focusedLog].isTimeline {
            return
                " among the \(panes[focusedLog].buffer.count) lines the timeline holds; each log's own pane searches its whole file"
        }
        guard let progress = panes[focusedLog].indexProgress else { return "" }
        return
            " among the \(panes[focusedLog].buffer.count) lines held; the file is being indexed (\(Int(progress * 100)) %), then the whole file is searched"
    }

    mutating func searchFile(_ target: FileSearchRequest.Target, forward: Bool, from: Int, wraps: Bool) {
        let request = FileSearchRequest(
            pane: focusedLog, target: target, from: from, forward: forward, wraps: wraps)
        if fileSearch != nil { effects.append(.cancelFileSearch) }
        fileSearch = request
        fileSearchProgress = 0
        effects.append(.searchFile(request))
        message = StatusMessage(
            "searching \(panes[focusedLog].title) for \(request.what) through the whole file… (Esc cancels)")
    }

    /// How far the file search got.
    public mutating func fileSearchProgressed(_ request: FileSearchRequest, fraction: Double) {
        guard fileSearch == request else { return }
        fileSearchProgress = fraction
        message = StatusMessage(
            "searching \(panes[request.pane].title) for \(request.what): \(Int(fraction * 100)) % (Esc cancels)")
        needsRedraw = true
    }

    /// The answer to a file search: the line it found (shown from the file, marked), or nil.
    public mutating func fileSearchFinished(_ request: FileSearchRequest, line: Int?) {
        guard fileSearch == request, request.pane < panes.count else { return }
        fileSearch = nil
        needsRedraw = true
        let name = panes[request.pane].title
        guard let line else {
            if request.wraps, !request.wrapped, let archive = panes[request.pane].archive {
                var again = request
                again.wrapped = true
                again.from = request.forward ? 0 : archive.lineCount + 1
                fileSearch = again
                effects.append(.searchFile(again))
                return
            }
            if case .time(let seconds) = request.target {
                message = StatusMessage(
                    "no line at or after \(CivilTime(secondsSinceEpoch: seconds)) in \(name)", isProblem: true)
                return
            }
            message = StatusMessage(
                request.wraps
                    ? "no match for \(request.what) in the whole of \(name)"
                    : "no \(request.forward ? "later" : "earlier") \(request.what) in \(name) (the whole file was searched)",
                isProblem: true)
            return
        }
        let height = max(1, layout.areas[PaneKind(rawValue: request.pane) ?? .serverLog]?.body.height ?? 1)
        panes[request.pane].showArchiveLine(line, height: height)
        if let top = panes[request.pane].archiveTop {
            effects.append(.loadArchive(pane: request.pane, top: top, count: height))
        }
        message = StatusMessage(
            (request.wrapped ? "search wrapped to the \(request.forward ? "top" : "bottom"): " : "")
                + "\(request.what) at line \(line) of \(name), read from the file (G follows again)")
    }

    private mutating func handlePrompt(_ key: Key, _ prompt: inout Prompt) {
        switch key {
        case .escape, .control("c"), .control("g"):
            // Back to where the prompt was opened from: the fix preview's questions return to the preview.
            mode =
                prompt.kind.detailView.map { .crashDetail($0) }
                ?? (prompt.kind.belongsToFixPreview ? .fixPreview : .normal)
            return
        case .enter:
            mode = .normal
            if let key = prompt.historyKey, !prompt.text.isEmpty {
                var history = promptHistory[key, default: []]
                history.removeAll { $0 == prompt.text }
                history.append(prompt.text)
                promptHistory[key] = Array(history.suffix(100))
            }
            commit(prompt)
            return
        case .backspace, .control("h"): prompt.deleteBackward()
        case .control("u"): prompt.deleteToStart()
        case .control("w"): prompt.deleteWordBackward()
        case .control("a"), .home: prompt.moveToStart()
        case .control("e"), .end: prompt.moveToEnd()
        case .left, .control("b"): prompt.move(by: -1)
        case .right, .control("f"): prompt.move(by: 1)
        case .up, .down:
            if let name = prompt.historyKey { prompt.recall(promptHistory[name] ?? [], older: key == .up) }
        case .character(let c): prompt.insert(c)
        case .tab where prompt.kind == .command:
            let candidates = prompt.complete(from: Self.commandNames)
            if !candidates.isEmpty { message = StatusMessage(candidates.joined(separator: "  ")) }
        default:
            break
        }
        mode = .prompt(prompt)
    }

    private mutating func commit(_ prompt: Prompt) {
        if commitCrashPrompt(prompt) { return }
        let pattern = prompt.value
        do {
            switch prompt.kind {
            case .command:
                runCommand(pattern)
            case .filter, .filterOut:
                let regex = pattern.isEmpty ? nil : try LineFilter(pattern: pattern)
                var filter = panes[focusedLog].filter ?? PaneFilter()
                if prompt.kind == .filter { filter.include = regex } else { filter.exclude = regex }
                panes[focusedLog].setFilter(filter)
                let shown = panes[focusedLog].filter.map { "showing \($0)" } ?? "filter cleared"
                message = StatusMessage("\(panes[focusedLog].title): \(shown)")
            case .listFilter(let pane):
                let filter = pattern.isEmpty ? nil : try LineFilter(pattern: pattern)
                if pane == .inbox {
                    crashes.inboxFilter = filter
                    crashes.inboxSelection = TriageSelection()
                    message = StatusMessage(filter.map { "inbox: showing crashes matching \($0)" } ?? "filter cleared")
                    return
                }
                listFilters[pane] = filter
                if pane == .errors { errorSelection = TriageSelection() } else { warningSelection = TriageSelection() }
                message = StatusMessage(filter.map { "showing only rows matching \($0)" } ?? "filter cleared")
            case .listSearch(let pane):
                listSearches[pane] = pattern.isEmpty ? nil : try LineFilter(pattern: pattern)
                if listSearches[pane] != nil { findRow(forward: true, fromCurrent: true) }
            case .historyFilter, .resolveBuild, .confirmApply, .rejectReason, .dirtyTree, .detailSearch,
                .confirmRevert:
                break
            case .search:
                if pattern.isEmpty {
                    panes[focusedLog].setSearch(nil)
                    return
                }
                let search = try LineFilter(pattern: pattern)
                panes[focusedLog].setSearch(search)
                if let position = panes[focusedLog].archivePosition {
                    searchFile(.text(search.pattern), forward: true, from: position, wraps: true)
                    return
                }
                if !panes[focusedLog].jump(.forward, height: focusedBodyHeight, where: { search.matches($0.text) })
                    && !panes[focusedLog].jump(
                        .backward, height: focusedBodyHeight, where: { search.matches($0.text) })
                    && !searchPastMemory(.text(search.pattern), forward: false, wraps: true)
                {
                    message = StatusMessage(
                        "no match for \(search) in \(panes[focusedLog].title)\(indexingNote)", isProblem: true)
                }
            }
        } catch {
            message = StatusMessage(error.description, isProblem: true)
        }
    }
}
