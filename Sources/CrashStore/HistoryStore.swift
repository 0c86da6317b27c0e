public import CrashAnalysis

/// A crash history: the embedded SQLite one (`CrashHistory`) or a team's shared PostgreSQL one.
///
/// Both keep the same model and lifecycle. A write that cannot reach the store is kept (in memory or in an outbox)
/// and written later, in order, once; `pendingCount` says how many wait.
public protocol HistoryStore: Actor {
    /// The database file, or the server's URL without its password: what messages name.
    nonisolated var location: String { get }
    /// The machine and realm this store records occurrences for.
    nonisolated var origin: HistoryOrigin { get }
    /// Whether the store is set up (a database locked at open, or a server not reached yet, is not).
    var isSetUp: Bool { get }
    /// Occurrences recorded but not written yet.
    var pendingCount: Int { get }
    /// Why the store cannot be written now, when it cannot.
    var problem: HistoryError? { get }

    func useSourceTree(_ root: String?)
    func record(_ result: CrashAnalysisResult, reportPath: String, time: Int64, fileIdentity: String?)
        async -> RecordOutcome
    /// Writes what is waiting; returns how many still wait.
    func retryPending() async -> Int
    func withdraw(reportPath: String) async throws(HistoryError) -> Int

    func resolve(groupID: Int64, inBuild build: String) async throws(HistoryError)
    func ignore(groupID: Int64) async throws(HistoryError)
    func reopen(groupID: Int64) async throws(HistoryError)
    func recordDecision(_ decision: FixDecisionRecord) async throws(HistoryError)
    func recordFixCommits(_ commits: [FixCommit]) async throws(HistoryError) -> Int

    func groups(_ filter: GroupFilter) async throws(HistoryError) -> [CrashGroupRecord]
    func group(id: Int64) async throws(HistoryError) -> CrashGroupRecord?
    func occurrences(groupID: Int64, limit: Int, offset: Int) async throws(HistoryError) -> [OccurrenceRecord]
    func decisions(groupID: Int64) async throws(HistoryError) -> [FixDecisionRecord]
    func similarGroups(to frames: [String], excludingGroupKey key: String, limit: Int) async throws(HistoryError)
        -> [SimilarGroup]
    func firstOccurrence(contentHash: String) async throws(HistoryError) -> OccurrenceRecord?
    func contains(contentHash: String) async throws(HistoryError) -> Bool
    func counts() async throws(HistoryError) -> (groups: Int, occurrences: Int)
    /// This host's newest occurrences, newest first (the inbox after a restart).
    func recentOccurrences(limit: Int) async throws(HistoryError) -> [OccurrenceRecord]
    /// Where each host (and realm) saw these groups: counts, first and last seen, builds.
    func sightings(groupIDs: [Int64]) async throws(HistoryError) -> [Int64: [HostSighting]]
    /// Group ids that another host changed (a new occurrence, a lifecycle change), as they happen; a store only one
    /// machine writes never yields.
    nonisolated func changes() -> AsyncStream<Int64>
}

/// What recording an occurrence did.
public enum RecordOutcome: Sendable, Equatable {
    case recorded(groupID: Int64, lifecycle: GroupLifecycle.Outcome)
    /// The same report file (same path or same file, same content) was recorded before.
    case duplicate(groupID: Int64)
    /// Not written yet (kept in memory or in the outbox); see the error.
    case pending(HistoryError)
}

/// A fix commit in the source tree, for recording approvals the history lacks.
public struct FixCommit: Sendable, Equatable {
    public var groupKey: String
    public var commit: String
    public var time: Int64
    public var patch: String

    public init(groupKey: String, commit: String, time: Int64, patch: String) {
        self.groupKey = groupKey
        self.commit = commit
        self.time = time
        self.patch = patch
    }
}

/// A group whose top in-app frames overlap another's.
public struct SimilarGroup: Sendable, Equatable {
    public var group: CrashGroupRecord
    public var sharedFrames: Int

    public init(group: CrashGroupRecord, sharedFrames: Int) {
        self.group = group
        self.sharedFrames = sharedFrames
    }
}

/// Which groups to list, in what order, one page at a time.
public struct GroupFilter: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case lastSeen, count, firstSeen
    }

    public var sort: Sort
    /// Part of the signature or title.
    public var text: String?
    public var state: GroupState?
    /// Only groups this host has seen.
    public var host: String?
    /// Only groups seen on this realm.
    public var realm: String?
    public var limit: Int
    public var offset: Int

    public init(
        sort: Sort = .lastSeen, text: String? = nil, state: GroupState? = nil, host: String? = nil,
        realm: String? = nil, limit: Int = 200, offset: Int = 0
    ) {
        self.sort = sort
        self.text = text
        self.state = state
        self.host = host
        self.realm = realm
        self.limit = limit
        self.offset = offset
    }

    /// `text` with `host:NAME` and `realm:NAME` words taken out into the host and realm filters (the history pane's
    /// filter prompt).
    public static func parsing(_ query: String?, sort: Sort = .lastSeen, state: GroupState? = nil, limit: Int = 500)
        -> GroupFilter
    {
        var filter = GroupFilter(sort: sort, state: state, limit: limit)
        var words: [Substring] = []
        for word in (query ?? "").split(separator: " ") {
            if word.hasPrefix("host:"), word.count > 5 {
                filter.host = String(word.dropFirst(5))
            } else if word.hasPrefix("realm:"), word.count > 6 {
                filter.realm = String(word.dropFirst(6))
            } else {
                words.append(word)
            }
        }
        filter.text = words.isEmpty ? nil : words.joined(separator: " ")
        return filter
    }
}

extension HistoryStore {
    /// Records a report whose file identity is not known.
    public func record(_ result: CrashAnalysisResult, reportPath: String, time: Int64) async -> RecordOutcome {
        await record(result, reportPath: reportPath, time: time, fileIdentity: nil)
    }

    /// The newest occurrences of a group.
    public func occurrences(groupID: Int64, limit: Int = 100) async throws(HistoryError) -> [OccurrenceRecord] {
        try await occurrences(groupID: groupID, limit: limit, offset: 0)
    }

    /// The five groups that share the most top frames with `frames`.
    public func similarGroups(to frames: [String], excludingGroupKey key: String) async throws(HistoryError)
        -> [SimilarGroup]
    {
        try await similarGroups(to: frames, excludingGroupKey: key, limit: 5)
    }

    /// Where each host saw one group.
    public func sightings(groupID: Int64) async throws(HistoryError) -> [HostSighting] {
        try await sightings(groupIDs: [groupID])[groupID] ?? []
    }
}
