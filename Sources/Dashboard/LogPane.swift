import DequeModule
public import LogWatch

/// One followed log as the dashboard shows it: its recent lines and how the user is looking at them (following,
/// paused, scrolled, filtered, searched).
public struct LogPane: Sendable {
    /// `Server.log`, `Playerbot.log`: the file name shown in the pane's title.
    public let title: String
    public let path: String
    public private(set) var buffer: LogBuffer
    /// The last condition of the file worth showing (missing, read error), cleared when lines flow again.
    public private(set) var fileCondition: FollowEvent?
    public private(set) var restarts = 0
    /// The view sticks to the newest line.
    public private(set) var isFollowing = true
    /// While paused (`=`), the newest line the pane shows; later lines are kept but not shown.
    public private(set) var pausedAt: Int?
    /// First visible line when not following.
    public private(set) var topNumber = 1
    /// The line a jump (`e`, `w`, `n` …) landed on, drawn highlighted.
    public private(set) var markedNumber: Int?
    /// How many columns the lines are scrolled sideways (→ and ←; 0 goes back).
    public var column = 0
    public private(set) var filter: PaneFilter?
    public private(set) var search: LineFilter?
    private var filteredNumbers: Deque<Int> = []
    /// The index over the whole file, for reading back lines no longer (or never) held in memory.
    public private(set) var archive: SparseLineIndex?
    /// 0…1 while the index is being built.
    public private(set) var indexProgress: Double?
    /// While browsing the file through the index: the file line at the top of the pane.
    public private(set) var archiveTop: Int?
    /// The lines read back for `archiveTop`.
    public private(set) var archiveLines: [LogLine] = []
    private var markedInArchive = false
    /// Long lines wrap onto the next rows (`|`) instead of running off the pane.
    public var wraps = false
    /// Lines marked with `m` (numbers of held lines), kept for the session.
    public private(set) var marks: Set<Int> = []
    private var rate = RateMeter()

    /// What to change in the server's conf for level prefixes (from its `Appender` line), when known.
    public var levelAdvice: String?

    /// The timeline: every followed log merged by time, each line marked with its source; it has no file of its own.
    public let isTimeline: Bool

    public init(title: String, path: String, capacity: Int = 100_000, levelAdvice: String? = nil) {
        self.title = title
        self.path = path
        self.levelAdvice = levelAdvice
        self.buffer = LogBuffer(capacity: capacity)
        self.isTimeline = false
    }

    private init(timelineCapacity: Int) {
        title = "Timeline"
        path = ""
        buffer = LogBuffer(capacity: timelineCapacity)
        isTimeline = true
    }

    /// A timeline pane, holding the newest `capacity` lines of all logs together.
    public static func timeline(capacity: Int = 100_000) -> LogPane { LogPane(timelineCapacity: capacity) }

    // MARK: - Input

    /// Adds what a poll produced; returns the events worth telling the user about.
    @discardableResult
    /// - Parameter now: when the lines arrived, for the rate; `nil` for lines replayed from a file at once.
    public mutating func ingest(_ batch: LogBatch, at now: ContinuousClock.Instant?) -> [FollowEvent] {
        for line in batch.lines {
            buffer.append(line)
            if let filter, filter.matches(line) { filteredNumbers.append(line.number) }
        }
        while let first = filteredNumbers.first, first < buffer.firstNumber { filteredNumbers.removeFirst() }
        if let now { rate.record(batch.lines.count, at: now) }
        var notable: [FollowEvent] = []
        for event in batch.events {
            switch event {
            case .opened:
                fileCondition = nil
            case .missing, .failed:
                fileCondition = event
                notable.append(event)
            case .truncated, .rotated:
                // The file changed under the index: it is rebuilt by the app.
                setArchive(nil)
                restarts += 1
                fileCondition = nil
                notable.append(event)
            }
        }
        if !batch.lines.isEmpty, case .failed? = fileCondition { fileCondition = nil }
        return notable
    }

    /// Adds lines of the other logs to the timeline, in order of their `LogLine.Origin.sortSeconds`.
    public mutating func merge(_ lines: [LogLine], at now: ContinuousClock.Instant?) {
        guard let changed = buffer.merge(lines, by: { $0.origin?.sortSeconds ?? .min }) else { return }
        if let now { rate.record(lines.count, at: now) }
        guard let filter else { return }
        // The lines from `changed` on were numbered again: their filter matches are taken again.
        while let last = filteredNumbers.last, last >= changed { filteredNumbers.removeLast() }
        for number in max(changed, buffer.firstNumber)...max(changed, buffer.lastNumber) {
            if let line = buffer.line(numbered: number), filter.matches(line) { filteredNumbers.append(number) }
        }
        while let first = filteredNumbers.first, first < buffer.firstNumber { filteredNumbers.removeFirst() }
    }

    public func linesPerSecond(at now: ContinuousClock.Instant) -> Double { rate.perSecond(at: now) }

    // MARK: - What is visible

    var view: ViewLines {
        ViewLines(buffer: buffer, filtered: filter == nil ? nil : filteredNumbers, limit: pausedAt ?? buffer.lastNumber)
    }

    /// Lines that arrived after the pause point.
    public var linesHeldByPause: Int {
        guard let pausedAt else { return 0 }
        return buffer.lastNumber - pausedAt
    }

    /// Lines the current filter lets through (all lines when none).
    public var viewCount: Int { view.count }

    private func startIndex(_ view: ViewLines, height: Int) -> Int {
        let bottom = max(0, view.count - height)
        if isFollowing { return bottom }
        return min(view.index(atOrAfter: topNumber), bottom)
    }

    /// The lines to draw in a body `height` rows tall, top to bottom.
    public func visibleLines(height: Int) -> [LogLine] {
        if archiveTop != nil { return Array(archiveLines.prefix(max(0, height))) }
        let view = view
        let start = startIndex(view, height: height)
        let end = min(view.count, start + max(0, height))
        guard start < end else { return [] }
        return (start..<end).compactMap { buffer.line(numbered: view.number(at: $0)) }
    }

    // MARK: - Navigation

    /// Scrolls by `delta` rows; reaching the bottom resumes following, as in lnav.
    public mutating func scroll(by delta: Int, height: Int) {
        let view = view
        guard view.count > 0 else { return }
        let bottom = max(0, view.count - height)
        let target = min(max(0, startIndex(view, height: height) + delta), bottom)
        isFollowing = delta > 0 && target == bottom
        topNumber = view.number(at: target)
    }

    public mutating func goToTop() {
        let view = view
        isFollowing = false
        topNumber = view.count > 0 ? view.number(at: 0) : buffer.firstNumber
        markedNumber = nil
    }

    /// `G`: newest line, following again, pause lifted.
    public mutating func goToBottomAndFollow() {
        leaveArchive()
        isFollowing = true
        pausedAt = nil
        markedNumber = nil
    }

    /// `=`: stop (or resume) showing new lines; they are still read and counted.
    public mutating func togglePause() {
        pausedAt = pausedAt == nil ? buffer.lastNumber : nil
    }

    public enum Direction: Sendable { case forward, backward }

    /// Moves to the next line, in `direction` from the current position, that `predicate` accepts.
    /// - Returns: false when there is none (the view does not move).
    public mutating func jump(_ direction: Direction, height: Int, where predicate: (LogLine) -> Bool) -> Bool {
        let view = view
        guard view.count > 0 else { return false }
        let start = startIndex(view, height: height)
        let current: Int
        if let markedNumber, view.index(atOrAfter: markedNumber) < view.count,
            view.number(at: view.index(atOrAfter: markedNumber)) == markedNumber
        {
            current = view.index(atOrAfter: markedNumber)
        } else if direction == .backward, isFollowing {
            current = min(view.count, start + height)
        } else {
            current = direction == .forward ? start - 1 : start
        }
        let indices: any Sequence<Int> =
            direction == .forward
            ? stride(from: current + 1, to: view.count, by: 1) : stride(from: current - 1, through: 0, by: -1)
        for index in indices {
            let number = view.number(at: index)
            if let line = buffer.line(numbered: number), predicate(line) {
                markedNumber = number
                isFollowing = false
                // Keep a little context above the line, as lnav does.
                topNumber = view.number(at: max(0, index - min(2, height / 4)))
                return true
            }
        }
        return false
    }

    /// Shows line `number` (marked), clearing a filter that hides it.
    ///
    /// False when the line is no longer held.
    public mutating func jump(toNumber number: Int, height: Int) -> Bool {
        guard buffer.line(numbered: number) != nil else { return false }
        if let filter, let line = buffer.line(numbered: number), !filter.matches(line) { setFilter(nil) }
        if let pausedAt, number > pausedAt { self.pausedAt = nil }
        markedNumber = number
        isFollowing = false
        let view = view
        let index = view.index(atOrAfter: number)
        topNumber = view.number(at: max(0, min(index, view.count - 1) - min(2, height / 4)))
        return true
    }

    // MARK: - The whole file, through the index

    public mutating func setArchive(_ index: SparseLineIndex?) {
        archive = index
        indexProgress = nil
        if index == nil { leaveArchive() }
    }

    public mutating func setIndexProgress(_ progress: Double?) { indexProgress = progress }

    /// True when the file holds lines the pane does not (more lines than are held in memory).
    public var hasLinesOutsideMemory: Bool { (archive?.lineCount ?? 0) > buffer.count }

    /// Starts (or moves) browsing the file at line `top`; the caller loads the lines.
    public mutating func browseArchive(top: Int, height: Int) {
        guard let archive else { return }
        archiveTop = min(max(1, top), max(1, archive.lineCount - height + 1))
        isFollowing = false
    }

    public mutating func setArchiveWindow(top: Int, lines: [LogLine]) {
        guard archiveTop == top else { return }
        archiveLines = lines
    }

    public mutating func leaveArchive() {
        archiveTop = nil
        archiveLines = []
        // A mark made in file mode numbers a file line, not a held one.
        if markedInArchive { markedNumber = nil }
        markedInArchive = false
    }

    /// Shows file line `number` through the index, marked, with a little context above it; the caller loads it.
    public mutating func showArchiveLine(_ number: Int, height: Int) {
        browseArchive(top: number - min(2, height / 4), height: height)
        markedNumber = number
        markedInArchive = true
    }

    /// The file line searches in file mode start from: the marked line, else the top one.
    public var archivePosition: Int? {
        guard let archiveTop else { return nil }
        return markedInArchive ? markedNumber ?? archiveTop : archiveTop
    }

    /// The file line number of the oldest line held in memory (the held lines are the file's last ones).
    public var oldestHeldFileLine: Int? {
        guard let archive else { return nil }
        return max(1, archive.lineCount - buffer.count + 1)
    }

    /// A click on a held line: it is highlighted, and the view stops following so that it stays put.
    public mutating func highlight(_ number: Int) {
        let view = view
        if isFollowing {
            isFollowing = false
            topNumber = view.count > 0 ? view.number(at: max(0, view.count - 1)) : topNumber
        }
        markedNumber = number
        markedInArchive = archiveTop != nil
    }

    /// The line keys like Enter and `m` act on: the highlighted one, else the bottom one shown.
    public func currentLine(height: Int) -> LogLine? {
        let shown = visibleLines(height: height)
        return shown.first { $0.number == markedNumber } ?? shown.last
    }

    // MARK: - Marks

    /// `m`: marks the highlighted line, or the bottom one shown; unmarks a marked one.
    ///
    /// Returns the line and whether it is marked now; nil when nothing is shown or the pane is in file mode.
    public mutating func toggleMark(height: Int) -> (line: Int, marked: Bool)? {
        guard archiveTop == nil else { return nil }
        let shown = visibleLines(height: height)
        guard let line = shown.first(where: { $0.number == markedNumber })?.number ?? shown.last?.number else {
            return nil
        }
        if marks.remove(line) == nil {
            marks.insert(line)
            return (line, true)
        }
        return (line, false)
    }

    // MARK: - Filter and search

    public mutating func setFilter(_ newFilter: PaneFilter?) {
        filter = newFilter?.isEmpty == true ? nil : newFilter
        filteredNumbers.removeAll()
        if let filter {
            for line in buffer.all where filter.matches(line) { filteredNumbers.append(line.number) }
        }
        markedNumber = nil
        if !isFollowing {
            let view = view
            let index = view.index(atOrAfter: topNumber)
            if index >= view.count { isFollowing = true } else { topNumber = view.number(at: index) }
        }
    }

    public mutating func setSearch(_ newSearch: LineFilter?) {
        search = newSearch
    }
}
