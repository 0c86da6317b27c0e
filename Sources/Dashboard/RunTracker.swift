public import LogWatch

/// One log's runs as the dashboard follows it: the run being written, and the one to compare it with (seen ending in
/// this session, or saved by crashwatch at its last stop).
public struct RunTracker: Sendable {
    /// Every line counts (a start-up log such as `DBErrors.log`, whatever level its lines were given); otherwise
    /// warnings and errors only.
    public let countsEveryLine: Bool
    public private(set) var current = RunSummary()
    /// The run seen ending in this session.
    private var previousSeen: RunSummary?
    /// Saved at crashwatch's last stop; set by the app when the pane is made.
    public var saved: SavedRuns? {
        didSet { digestAtSavedCount = nil }
    }
    /// The digest of this run's first `saved.last.lineCount` lines: the saved run continues here when they match.
    private var digestAtSavedCount: UInt64?
    /// When this run was started by something the log itself did (truncation, rotation, the start-up banner).
    public private(set) var startedByItselfAt: Int64?

    public init(countsEveryLine: Bool) { self.countsEveryLine = countsEveryLine }

    /// A log counts every line when it is a start-up log: the database errors the server writes while loading.
    public static func forLog(titled title: String) -> RunTracker {
        RunTracker(countsEveryLine: title.lowercased().contains("dberrors"))
    }

    /// The run this one is compared with; nil when none is known.
    public var previous: RunSummary? {
        if let previousSeen { return previousSeen }
        guard let saved else { return nil }
        // The file still holds the run crashwatch was following when it stopped: compare with the one before.
        return digestAtSavedCount == saved.last.digest ? saved.previous : saved.last
    }

    /// Where the compared run comes from, for the view's heading.
    public var previousOrigin: String {
        if previousSeen != nil { return "the run before, seen ending in this session" }
        if saved != nil, digestAtSavedCount == saved?.last.digest {
            return "the run before this one, saved by crashwatch"
        }
        return "the last run crashwatch followed, saved when it stopped"
    }

    public var changes: [RunChange] { previous.map { RunChange.between($0, current) } ?? [] }

    /// What to keep at a stop.
    public var toSave: SavedRuns? {
        guard !current.isEmpty else { return previous.map { SavedRuns(previous: $0, last: $0) } }
        return SavedRuns(previous: previous, last: current)
    }

    /// Counts a line, given its template (computed by the caller, once per line).
    public mutating func add(_ line: LogLine, template: String) {
        if current.isEmpty, current.startedAt == nil { current.startedAt = line.placedSeconds }
        current.add(line.message, template: template, number: line.number)
        if let saved, current.lineCount == saved.last.lineCount { digestAtSavedCount = current.digest }
    }

    /// Whether `add` wants this line.
    public func counts(_ line: LogLine) -> Bool {
        !line.isContinuation && (countsEveryLine || (line.level.map { $0 >= .warn } ?? false))
    }

    /// A new run starts: the one that ended becomes the one to compare with (an empty one is no run).
    /// - Parameters:
    ///   - seconds: when (local civil seconds).
    ///   - byItself: the log's own truncation, rotation or banner, rather than another log's.
    public mutating func startNewRun(at seconds: Int64, byItself: Bool) {
        startedByItselfAt = byItself ? seconds : nil
        // Nothing counted yet (a file that starts with the banner): the run under way simply goes on; how it compares
        // with the saved one is still to be seen.
        guard !current.isEmpty else { return }
        let before = previous
        previousSeen = current.isEmpty ? before : current
        saved = nil
        current = RunSummary(startedAt: seconds > 0 ? seconds : nil)
    }
}
