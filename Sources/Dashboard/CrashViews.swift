public import CrashAnalysis
public import CrashInbox
public import CrashStore
public import FixEngine

/// What the crash panes show: the inbox items (newest last) and the current page of history groups.
///
/// The app fills them from the inbox service and the history actor; the state only reads them.
public struct CrashViews: Sendable {
    public var inbox: [InboxItem] = []
    public var inboxSelection = TriageSelection()
    public var groups: [CrashGroupRecord] = []
    public var historySelection = TriageSelection()
    public var sort: GroupFilter.Sort = .lastSeen
    public var stateFilter: GroupState?
    public var textFilter = ""
    /// Occurrences of the group shown in the detail view, newest first.
    public var detailOccurrences: [OccurrenceRecord] = []
    /// The diagnosis of the newest occurrence, decoded once when the detail is loaded.
    public var detailDiagnosis: Diagnosis?
    /// Groups whose top in-app frames overlap the open one's, with how many frames they share.
    public var detailSimilar: [SimilarGroup] = []
    /// Where each host (and realm) saw the group in the detail view.
    public var detailSightings: [HostSighting] = []
    /// Where each host saw the history pane's groups, by group id.
    public var groupSightings: [Int64: [HostSighting]] = [:]
    public var detailDecisions: [FixDecisionRecord] = []
    /// Folders watched and whether inotify is used, for the title.
    public var watching: String = "no crash folder"
    /// A history problem (locked, damaged, full disk) to show in the title.
    public var historyProblem: String?
    /// Crashes analysed but not yet written to the history (locked database, full disk).
    public var waitingToSave = 0
    /// "history offline, N waiting" while a shared history cannot be reached; nil otherwise.
    public var historyOffline: String?
    /// `q` was pressed once while crashes were waiting: the next `q` quits.
    public var quitWarned = false
    /// Reports imported from the folders at start.
    public var imported = 0

    /// The fix preview, while open.
    public var fixPreview: FixPreview?

    public init() {}

    /// Inbox newest first, by crash time (arrival order breaks ties).
    public var inboxRows: [InboxItem] {
        inbox.filter { item in
            (pausedInbox?.contains(item.id) ?? true)
                && (inboxFilter.map { filter in
                    filter.matches(item.result?.signature.signature ?? "") || filter.matches(item.path)
                } ?? true)
        }
        .sorted { $0.time != $1.time ? $0.time > $1.time : $0.id > $1.id }
    }

    /// Groups whose newest crash in the inbox came while they crashed at several times their usual rate.
    public var escalatingGroups: Int {
        var newest: [Int64: InboxItem] = [:]
        for item in inbox {
            guard case .recorded(let group, _)? = item.outcome else { continue }
            if let known = newest[group], known.time > item.time { continue }
            newest[group] = item
        }
        return newest.values.filter { $0.rate?.isEscalating == true }.count
    }

    /// `=` in the history: refreshes are not shown, their changes counted.
    public var historyPaused = false
    public var historyChangedWhilePaused = 0
    /// The inbox's `f` (or `/`) filter, over each crash's signature and file.
    public var inboxFilter: LineFilter?
    /// The crashes the inbox showed when `=` paused it (nil: live); later ones are counted, not shown.
    public var pausedInbox: Set<Int>?

    /// Crashes that arrived while the inbox was paused.
    public var arrivedWhilePaused: Int { pausedInbox.map { paused in inbox.count { !paused.contains($0.id) } } ?? 0 }
}

/// The fix preview: candidates for one crash group, the one shown, and how far its diff is scrolled.
public struct FixPreview: Sendable, Equatable {
    public var signature: String
    public var groupKey: String
    public var groupID: Int64?
    public var candidates: [FixCandidate] = []
    public var selected = 0
    public var scroll = 0
    /// Set while candidates are being made or a patch applied.
    public var busy: String?
    /// Where the candidates were written (`.patch` + Markdown).
    public var reportFiles: [String] = []
    /// True when the supervised loop asked: A and R answer the loop, which applies through git itself.
    public var forLoop = false
    /// The loop's candidates rejected so far, with their reasons: the loop hears "no" only when all are.
    public var rejected: [Int: String] = [:]

    public init(signature: String, groupKey: String, groupID: Int64?, busy: String? = nil) {
        self.signature = signature
        self.groupKey = groupKey
        self.groupID = groupID
        self.busy = busy
    }

    public var current: FixCandidate? { selected < candidates.count ? candidates[selected] : nil }
}
