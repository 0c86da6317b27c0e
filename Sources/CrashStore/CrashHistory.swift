public import CrashAnalysis
import CrashwatchKit
import Foundation
import GRDB

/// Every crash group and occurrence, in SQLite: the embedded history, and the local outbox's neighbour.
///
/// An actor: one writer, in order. A write that fails because the database is locked or the disk is full keeps the
/// occurrence in memory (`pending`) and `retryPending()` writes it later; nothing is lost and nothing is deleted.
public actor CrashHistory: HistoryStore {
    public nonisolated let path: String
    public nonisolated var location: String { path }
    public nonisolated let origin: HistoryOrigin
    /// Nil while a database locked at open could not be opened yet (with `waitIfLocked`).
    private var openedQueue: DatabaseQueue?
    private let configuration: Configuration
    /// False while a database locked at open has not been migrated yet.
    private var migrated = false

    /// The database, opened now if it was locked at open and is free since; otherwise the lock's error.
    var database: DatabaseQueue {
        get throws {
            if let openedQueue { return openedQueue }
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            openedQueue = queue
            return queue
        }
    }
    /// The lock that kept the database from being set up at open (with `waitIfLocked`).
    public nonisolated let lockedAtOpen: HistoryError?
    /// Whether the database is set up (always, unless it was locked at open and has not been free since).
    public var isSetUp: Bool { migrated }

    /// Sets up a database that was locked at open, once the lock is gone.
    private func ensureMigrated() throws {
        guard !migrated else { return }
        try HistorySchema.migrator.migrate(database)
        migrated = true
    }
    public private(set) var pending: [PreparedOccurrence] = []
    public var pendingCount: Int { pending.count }
    /// The error of the last write that failed, while occurrences wait.
    private var lastWriteProblem: HistoryError?
    public var problem: HistoryError? { pending.isEmpty ? (migrated ? nil : lockedAtOpen) : lastWriteProblem }
    /// The source tree that tells which build contains which, for regressions; nil without one.
    private var ancestry: GitAncestry?

    /// Judges regressions by the tree's history from now on.
    public func useSourceTree(_ root: String?) {
        ancestry = root.map(GitAncestry.init(root:))
    }

    /// How a history database is opened.
    public enum OpenMode: Sendable, Equatable {
        /// Created and migrated as needed; the parent folder is created only when `createFolder` (crashwatch's own
        /// default location), so that a typo in a configured path is an error, not a new empty database.
        case readWrite(createFolder: Bool)
        /// For commands that only read: nothing is created or migrated, and a file that is not a crashwatch history
        /// (or one an older crashwatch wrote and no newer one has opened yet) is refused.
        case readOnly
    }

    /// Opens the database at `path`.
    /// - Throws: `HistoryError` naming the file: locked, damaged, not crashwatch's, or not openable. The file is left
    ///   as it was.
    /// - Parameter waitIfLocked: a database another program holds locked at open is opened anyway and migrated at
    ///   the first write that gets through (until then writes wait in `pending`), instead of failing; the dashboard
    ///   uses this, so a lock at start does not keep the whole session from writing. `lockedAtOpen` says so.
    /// - Parameter origin: the host and realm written with each occurrence.
    public init(
        path: String, mode: OpenMode = .readWrite(createFolder: true), waitIfLocked: Bool = false,
        origin: HistoryOrigin = .local
    ) throws(HistoryError) {
        self.path = path
        self.origin = origin
        var configuration = Configuration()
        configuration.busyMode = .timeout(2)
        let folder = (path as NSString).deletingLastPathComponent
        do {
            switch mode {
            case .readWrite(let createFolder):
                if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
                    guard createFolder else {
                        throw HistoryError(
                            kind: .cannotOpen, path: path,
                            detail: "the folder \(folder) does not exist (a typo in the path?)")
                    }
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                }
                var locked: HistoryError?
                var opened: DatabaseQueue?
                do {
                    let queue = try DatabaseQueue(path: path, configuration: configuration)
                    opened = queue
                    try HistorySchema.migrator.migrate(queue)
                } catch {
                    let problem = Self.historyError(error, path: path)
                    guard waitIfLocked, problem.kind == .locked else { throw error }
                    locked = problem
                }
                migrated = locked == nil
                lockedAtOpen = locked
                openedQueue = opened
                self.configuration = configuration
            case .readOnly:
                guard FileManager.default.fileExists(atPath: path) else {
                    throw HistoryError(kind: .cannotOpen, path: path, detail: "there is no file there")
                }
                configuration.readonly = true
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                let (isCrashwatch, isCurrent) = try queue.read { db in
                    (
                        try db.tableExists("crashGroup") && db.tableExists("occurrence"),
                        try HistorySchema.migrator.hasCompletedMigrations(db)
                    )
                }
                guard isCrashwatch else {
                    throw HistoryError(kind: .corrupt, path: path, detail: "it holds no crashwatch tables")
                }
                guard isCurrent else {
                    throw HistoryError(
                        kind: .cannotOpen, path: path,
                        detail: "an older crashwatch wrote it; `crashwatch watch` or `import` upgrades it")
                }
                migrated = true
                lockedAtOpen = nil
                openedQueue = queue
                self.configuration = configuration
            }
        } catch let error as HistoryError {
            throw error
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    static func historyError(_ error: any Error, path: String) -> HistoryError {
        guard let error = error as? DatabaseError else {
            return HistoryError(kind: .cannotOpen, path: path, detail: "\(error)")
        }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return HistoryError(kind: .locked, path: path, detail: error.message ?? "")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return HistoryError(kind: .corrupt, path: path, detail: error.message ?? "")
        case .SQLITE_FULL: return HistoryError(kind: .diskFull, path: path, detail: error.message ?? "")
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY:
            return HistoryError(kind: .cannotOpen, path: path, detail: error.message ?? "\(error)")
        default: return HistoryError(kind: .other, path: path, detail: "\(error)")
        }
    }

    // MARK: - Writing

    /// Records one analysed report, found at `reportPath`, that crashed at `time` (seconds, `CivilTime` scale).
    /// - Parameter fileIdentity: `device:inode` of the file; a new file with the same text is a new occurrence, the
    ///   same file read again is not.
    public func record(
        _ result: CrashAnalysisResult, reportPath: String, time: Int64, fileIdentity: String? = nil
    ) -> RecordOutcome {
        record(
            PreparedOccurrence(
                result: result, reportPath: reportPath, time: time, fileIdentity: fileIdentity, origin: origin))
    }

    /// Records an occurrence prepared before (the outbox's, or one pushed from another history).
    public func record(_ occurrence: PreparedOccurrence) -> RecordOutcome {
        do {
            return try write(occurrence)
        } catch {
            let problem = Self.historyError(error, path: path)
            lastWriteProblem = problem
            pending.append(occurrence)
            return .pending(problem)
        }
    }

    /// Takes back the occurrences read from `reportPath` (a file that turned out to be incomplete when it was read and
    /// is read again now): each group loses them from its count, and a group left with none is removed.
    ///
    /// Returns how many were taken back.
    @discardableResult
    public func withdraw(reportPath: String) throws(HistoryError) -> Int {
        do {
            return try database.write { db in
                let occurrences = try OccurrenceRecord.filter(OccurrenceRecord.Columns.reportPath == reportPath)
                    .filter(Self.sameHost(origin.host)).fetchAll(db)
                defer { try? HistorySchema.rebuildGroupHosts(db, groupIDs: occurrences.map(\.groupID)) }
                for occurrence in occurrences {
                    _ = try occurrence.delete(db)
                    guard var group = try CrashGroupRecord.fetchOne(db, key: occurrence.groupID) else { continue }
                    group.count -= 1
                    if group.count <= 0,
                        try FixDecisionRecord.filter(FixDecisionRecord.Columns.groupID == group.id).fetchCount(db) == 0
                    {
                        _ = try group.delete(db)
                    } else {
                        group.count = max(group.count, 0)
                        try group.update(db)
                    }
                }
                return occurrences.count
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    /// Writes what failed before; returns how many are still waiting.
    @discardableResult
    public func retryPending() -> Int {
        try? ensureMigrated()
        var still: [PreparedOccurrence] = []
        for item in pending {
            do {
                _ = try write(item)
            } catch { still.append(item) }
        }
        pending = still
        return pending.count
    }

    /// Records many reports in one transaction (importing a folder, benchmarks); nothing is written if one fails.
    public func recordAll(_ occurrences: [PreparedOccurrence]) throws(HistoryError) -> [RecordOutcome] {
        do {
            return try database.write { db in try occurrences.map { try Self.write($0, in: db) } }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    private func write(_ occurrence: PreparedOccurrence) throws -> RecordOutcome {
        try ensureMigrated()
        let ancestry = ancestry
        return try database.write { db in try Self.write(occurrence, ancestry: ancestry, in: db) }
    }

    /// Rows of `host`, and the rows written before hosts were recorded (which can only be this machine's).
    static func sameHost(_ host: String) -> SQLExpression {
        OccurrenceRecord.Columns.host == host || OccurrenceRecord.Columns.host == ""
    }

    private static func write(
        _ occurrence: PreparedOccurrence, ancestry: GitAncestry? = nil, in db: Database
    ) throws -> RecordOutcome {
        let sameText = try OccurrenceRecord.filter(OccurrenceRecord.Columns.contentHash == occurrence.contentHash)
            .order(OccurrenceRecord.Columns.id).fetchAll(db)
        if let existing = sameText.first(where: { $0.isSameFile(as: occurrence) }) {
            return .duplicate(groupID: existing.groupID)
        }
        let groupKey = try sameEventGroupKey(occurrence, in: db) ?? occurrence.groupKey
        var group =
            try CrashGroupRecord.filter(CrashGroupRecord.Columns.groupKey == groupKey).fetchOne(db)
            ?? occurrence.newGroup
        let lifecycle = group.count(occurrence, ancestry: ancestry)
        if group.id == nil { try group.insert(db) } else { try group.update(db) }
        var row = occurrence.record(groupID: group.id!, identicalTo: sameText.first?.id)
        try row.insert(db)
        try HistorySchema.countInGroupHost(row, db)
        return .recorded(groupID: group.id!, lifecycle: lifecycle)
    }

    /// A report with no stack and no assertion (a cut paste) that names the same build and the same crash minute as a
    /// stored occurrence of the same host is another copy of that crash: it joins that occurrence's group instead of
    /// starting a `text#…` group of its own.
    static func sameEventGroupKey(_ occurrence: PreparedOccurrence, in db: Database) throws -> String? {
        guard occurrence.isStackless, let build = occurrence.build, let crashTime = occurrence.statedCrashTime else {
            return nil
        }
        guard
            let sameEvent = try OccurrenceRecord.filter(
                OccurrenceRecord.Columns.build == build && OccurrenceRecord.Columns.time == crashTime
            ).filter(sameHost(occurrence.host)).order(OccurrenceRecord.Columns.id).fetchOne(db)
        else { return nil }
        return try CrashGroupRecord.fetchOne(db, key: sameEvent.groupID)?.groupKey
    }

    // MARK: - Lifecycle actions

    public func resolve(groupID: Int64, inBuild build: String) throws(HistoryError) {
        try change(groupID) { GroupLifecycle.resolve(&$0, inBuild: build) }
    }

    public func ignore(groupID: Int64) throws(HistoryError) {
        try change(groupID) { GroupLifecycle.ignore(&$0) }
    }

    public func reopen(groupID: Int64) throws(HistoryError) {
        try change(groupID) { GroupLifecycle.reopen(&$0) }
    }

    private func change(_ groupID: Int64, _ body: @Sendable (inout GroupLifecycle.Group) -> Void) throws(HistoryError) {
        do {
            try database.write { db in
                guard var record = try CrashGroupRecord.fetchOne(db, key: groupID) else { return }
                record.changeLifecycle(body)
                try record.update(db)
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    public func recordDecision(_ decision: FixDecisionRecord) throws(HistoryError) {
        do {
            try database.write { db in
                var row = decision
                try row.insert(db)
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    /// Records as approved each fix commit whose approval is not in the history yet (crashwatch was stopped between the
    /// commit and writing the decision); returns how many were recorded.
    ///
    /// A commit for a group the history does not know is left alone.
    @discardableResult
    public func recordFixCommits(_ commits: [FixCommit]) throws(HistoryError) -> Int {
        do {
            return try database.write { db in
                var recorded = 0
                for commit in commits {
                    guard
                        let group = try CrashGroupRecord.filter(CrashGroupRecord.Columns.groupKey == commit.groupKey)
                            .fetchOne(db), let groupID = group.id
                    else { continue }
                    let known = try FixDecisionRecord.filter(FixDecisionRecord.Columns.groupID == groupID)
                        .fetchAll(db).contains { $0.commitHash == commit.commit }
                    guard !known else { continue }
                    var decision = FixDecisionRecord(recoveredFrom: commit, groupID: groupID)
                    try decision.insert(db)
                    recorded += 1
                }
                return recorded
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    // MARK: - Reading

    /// Groups for the history browser, one page at a time.
    public func groups(_ filter: GroupFilter = GroupFilter()) throws(HistoryError) -> [CrashGroupRecord] {
        do {
            return try database.read { db in
                var request = CrashGroupRecord.all()
                if let state = filter.state {
                    request = request.filter(CrashGroupRecord.Columns.state == state.rawValue)
                }
                if let text = filter.text, !text.isEmpty {
                    let pattern = "%\(text)%"
                    request = request.filter(
                        CrashGroupRecord.Columns.signature.like(pattern) || CrashGroupRecord.Columns.title.like(pattern)
                    )
                }
                if filter.host != nil || filter.realm != nil {
                    request = request.filter(
                        sql: """
                            EXISTS (SELECT 1 FROM groupHost h WHERE h.groupID = crashGroup.id
                                AND (?1 IS NULL OR h.host = ?1) AND (?2 IS NULL OR h.realm = ?2))
                            """, arguments: [filter.host, filter.realm])
                }
                request = request.order(Column(filter.sort.rawValue).desc, CrashGroupRecord.Columns.id.desc)
                return try request.limit(filter.limit, offset: filter.offset).fetchAll(db)
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    public func group(id: Int64) throws(HistoryError) -> CrashGroupRecord? {
        do {
            return try database.read { db in try CrashGroupRecord.fetchOne(db, key: id) }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    /// Occurrences of a group, newest first.
    public func occurrences(groupID: Int64, limit: Int, offset: Int = 0) throws(HistoryError)
        -> [OccurrenceRecord]
    {
        do {
            return try database.read { db in
                try OccurrenceRecord.filter(OccurrenceRecord.Columns.groupID == groupID).order(
                    OccurrenceRecord.Columns.time.desc, OccurrenceRecord.Columns.id.desc
                )
                .limit(limit, offset: offset).fetchAll(db)
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    public func decisions(groupID: Int64) throws(HistoryError) -> [FixDecisionRecord] {
        do {
            return try database.read { db in
                try FixDecisionRecord.filter(FixDecisionRecord.Columns.groupID == groupID).order(
                    FixDecisionRecord.Columns.time.desc
                ).fetchAll(db)
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    /// Groups whose top in-app frames overlap `frames`, most shared frames first, then most occurrences.
    public func similarGroups(to frames: [String], excludingGroupKey key: String, limit: Int = 5) throws(HistoryError)
        -> [SimilarGroup]
    {
        let wanted = Set(frames)
        guard !wanted.isEmpty else { return [] }
        do {
            let candidates = try database.read { db in
                try CrashGroupRecord.filter(
                    CrashGroupRecord.Columns.groupKey != key && CrashGroupRecord.Columns.topFrames != "[]"
                )
                .order(CrashGroupRecord.Columns.lastSeen.desc).limit(10_000).fetchAll(db)
            }
            return SimilarGroup.ranked(candidates, sharing: wanted, limit: limit)
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    /// The first occurrence whose report had exactly this text, if any.
    public func firstOccurrence(contentHash: String) throws(HistoryError) -> OccurrenceRecord? {
        do {
            return try database.read { db in
                try OccurrenceRecord.filter(OccurrenceRecord.Columns.contentHash == contentHash).order(
                    OccurrenceRecord.Columns.id
                ).fetchOne(db)
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    /// Whether a report with this content is already stored (for importing a folder exactly once).
    public func contains(contentHash: String) throws(HistoryError) -> Bool {
        do {
            return try database.read { db in
                try OccurrenceRecord.filter(OccurrenceRecord.Columns.contentHash == contentHash).fetchCount(db) > 0
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    public func counts() throws(HistoryError) -> (groups: Int, occurrences: Int) {
        do {
            return try database.read { db in (try CrashGroupRecord.fetchCount(db), try OccurrenceRecord.fetchCount(db))
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    /// Where each host saw these groups.
    public func sightings(groupIDs: [Int64]) throws(HistoryError) -> [Int64: [HostSighting]] {
        guard !groupIDs.isEmpty else { return [:] }
        do {
            let fallbackHost = origin.host
            return try database.read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT groupID, host, realm, count, firstSeen, lastSeen, builds FROM groupHost
                        WHERE groupID IN (\(groupIDs.map { _ in "?" }.joined(separator: ",")))
                        ORDER BY count DESC
                        """, arguments: StatementArguments(groupIDs))
                var result: [Int64: [HostSighting]] = [:]
                for row in rows {
                    let host: String = row["host"]
                    let realm: String = row["realm"]
                    let builds: String = row["builds"]
                    result[row["groupID"], default: []].append(
                        HostSighting(
                            host: host.isEmpty ? fallbackHost : host, realm: realm.isEmpty ? nil : realm,
                            count: row["count"], firstSeen: row["firstSeen"], lastSeen: row["lastSeen"],
                            builds: (try? JSONDecoder().decode([String].self, from: Data(builds.utf8))) ?? []))
                }
                return result
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    public func recentOccurrences(limit: Int) throws(HistoryError) -> [OccurrenceRecord] {
        do {
            let host = origin.host
            return try database.read { db in
                try OccurrenceRecord.filter(Self.sameHost(host)).order(
                    OccurrenceRecord.Columns.time.desc, OccurrenceRecord.Columns.id.desc
                ).limit(limit).fetchAll(db)
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    /// Only this machine writes an SQLite history: nothing changes behind its back.
    public nonisolated func changes() -> AsyncStream<Int64> { AsyncStream { $0.finish() } }

    /// Every group with its occurrences and decisions, oldest occurrence first (for `history push`).
    public func everything() throws(HistoryError) -> [(
        group: CrashGroupRecord, occurrences: [OccurrenceRecord], decisions: [FixDecisionRecord]
    )] {
        do {
            return try database.read { db in
                try CrashGroupRecord.order(CrashGroupRecord.Columns.id).fetchAll(db).map { group in
                    (
                        group: group,
                        occurrences: try OccurrenceRecord.filter(OccurrenceRecord.Columns.groupID == group.id)
                            .order(OccurrenceRecord.Columns.time, OccurrenceRecord.Columns.id).fetchAll(db),
                        decisions: try FixDecisionRecord.filter(FixDecisionRecord.Columns.groupID == group.id)
                            .order(FixDecisionRecord.Columns.time).fetchAll(db)
                    )
                }
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }
}
