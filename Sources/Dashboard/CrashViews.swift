import CrashAnalysis
import CrashInbox
import CrashStore

/// What the crash panes show: the inbox items (newest last) and the current page of history groups. The app fills
/// them from the inbox service and the history actor; the state only reads them.
public struct CrashViews: Sendable {
    public var inbox: [InboxItem] = []
    public var inboxSelection = TriageSelection()
    public var groups: [CrashGroupRecord] = []
    public var historySelection = TriageSelection()
    public var sort: CrashHistory.Sort = .lastSeen
    public var stateFilter: GroupState?
    public var textFilter = ""
    /// Occurrences of the group shown in the detail view, newest first.
    public var detailOccurrences: [OccurrenceRecord] = []
    public var detailDecisions: [FixDecisionRecord] = []
    /// Folders watched and whether inotify is used, for the title.
    public var watching: String = "no crash folder"
    /// A history problem (locked, damaged, full disk) to show in the title.
    public var historyProblem: String?
    /// Reports imported from the folders at start.
    public var imported = 0

    public init() {}

    /// Inbox newest first, by crash time (arrival order breaks ties).
    public var inboxRows: [InboxItem] {
        inbox.sorted { $0.time != $1.time ? $0.time > $1.time : $0.id > $1.id }
    }

    /// Commands the app carries out against the history (the state itself does no I/O).
    public enum Command: Sendable, Equatable {
        case refresh
        case resolve(groupID: Int64, build: String)
        case ignore(groupID: Int64)
        case reopen(groupID: Int64)
        case loadDetail(groupID: Int64)
    }
}
