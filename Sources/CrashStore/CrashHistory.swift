public import CrashAnalysis
import CrashwatchKit
import Foundation
import GRDB

/// Every crash group and occurrence, in SQLite.
///
/// An actor: one writer, in order. A write that fails because the database is locked or the disk is full keeps the
/// occurrence in memory (`pending`) and `retryPending()` writes it later; nothing is lost and nothing is deleted.
public actor CrashHistory {
    public nonisolated let path: String
    /// Nil while a database locked at open could not be opened yet (with `waitIfLocked`).
    private var openedQueue: DatabaseQueue?
    private let configuration: Configuration
    /// False while a database locked at open has not been migrated yet.
    private var migrated = false

    /// The database, opened now if it was locked at open and is free since; otherwise the lock's error.
    private var database: DatabaseQueue {
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
    public private(set) var pending: [PendingOccurrence] = []
    /// The source tree that tells which build contains which, for regressions; nil without one.
    private var ancestry: GitAncestry?

    /// Judges regressions by the tree's history from now on.
    public func useSourceTree(_ root: String?) {
        ancestry = root.map(GitAncestry.init(root:))
    }

    /// An occurrence waiting to be written.
    public struct PendingOccurrence: Sendable {
        public var result: CrashAnalysisResult
        public var reportPath: String
        public var time: Int64
        public var fileIdentity: String?
    }

    /// What recording an occurrence did.
    public enum RecordOutcome: Sendable, Equatable {
        case recorded(groupID: Int64, lifecycle: GroupLifecycle.Outcome)
        /// The same report file (same path or same file, same content) was recorded before.
        case duplicate(groupID: Int64)
        /// Written to memory only; see the error.
        case pending(HistoryError)
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
    public init(
        path: String, mode: OpenMode = .readWrite(createFolder: true), waitIfLocked: Bool = false
    ) throws(HistoryError) {
        self.path = path
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
        do {
            return try write(result, reportPath: reportPath, time: time, fileIdentity: fileIdentity)
        } catch {
            let problem = Self.historyError(error, path: path)
            pending.append(
                PendingOccurrence(result: result, reportPath: reportPath, time: time, fileIdentity: fileIdentity))
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
                    .fetchAll(db)
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
        var still: [PendingOccurrence] = []
        for item in pending {
            do {
                _ = try write(
                    item.result, reportPath: item.reportPath, time: item.time, fileIdentity: item.fileIdentity)
            } catch { still.append(item) }
        }
        pending = still
        return pending.count
    }

    /// Records many reports in one transaction (importing a folder, benchmarks); nothing is written if one fails.
    public func recordAll(_ items: [(result: CrashAnalysisResult, reportPath: String, time: Int64)])
        throws(HistoryError) -> [RecordOutcome]
    {
        do {
            return try database.write { db in
                try items.map { try Self.write($0.result, reportPath: $0.reportPath, time: $0.time, in: db) }
            }
        } catch {
            throw Self.historyError(error, path: path)
        }
    }

    private func write(_ result: CrashAnalysisResult, reportPath: String, time: Int64, fileIdentity: String?) throws
        -> RecordOutcome
    {
        try ensureMigrated()
        let ancestry = ancestry
        return try database.write { db in
            try Self.write(
                result, reportPath: reportPath, time: time, fileIdentity: fileIdentity, ancestry: ancestry, in: db)
        }
    }

    private static func write(
        _ result: CrashAnalysisResult, reportPath: String, time: Int64, fileIdentity: String? = nil,
        ancestry: GitAncestry? = nil, in db: Database
    ) throws -> RecordOutcome {
        let hash = SignatureGenerator.stableHash(result.report.rawText)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json(_ value: some Encodable) throws -> String {
            String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        let diagnosis = try json(result.diagnosis)
        let logLines = try result.correlation.map { try json($0) }
        do {
            let sameText = try OccurrenceRecord.filter(OccurrenceRecord.Columns.contentHash == hash).order(
                OccurrenceRecord.Columns.id
            ).fetchAll(db)
            if let existing = sameText.first(where: {
                $0.reportPath == reportPath || (fileIdentity != nil && $0.fileIdentity == fileIdentity)
            }) {
                return .duplicate(groupID: existing.groupID)
            }
            let build = result.report.buildHash
            var lifecycle: GroupLifecycle.Outcome
            var group: CrashGroupRecord
            let groupKey = try Self.sameEventGroupKey(result, build: build, in: db) ?? result.signature.groupKey
            if var found = try CrashGroupRecord.filter(CrashGroupRecord.Columns.groupKey == groupKey).fetchOne(db) {
                var model = Self.model(of: found)
                lifecycle = GroupLifecycle.occurrence(
                    in: &model, build: build,
                    isDescendant: ancestry.map { tree in
                        { build, resolved in tree.isDescendant(build, of: resolved) }
                    })
                Self.apply(model, to: &found)
                found.firstSeen = min(found.firstSeen, time)
                found.lastSeen = max(found.lastSeen, time)
                try found.update(db)
                group = found
            } else {
                var model = GroupLifecycle.Group(state: .new, count: 0, buildsSeen: [])
                lifecycle = GroupLifecycle.occurrence(in: &model, build: build)
                group = CrashGroupRecord(
                    id: nil, groupKey: result.signature.groupKey, signature: result.signature.signature,
                    algorithmVersion: result.signature.algorithmVersion, title: Self.title(result),
                    faultKind: result.signature.faultKind, severity: result.diagnosis.severity.rawValue,
                    patternID: result.diagnosis.patterns.first?.id, isBotRelated: result.diagnosis.isBotRelated,
                    firstSeen: time, lastSeen: time, count: 0, buildsSeen: [], state: .new,
                    resolvedInBuild: nil, buildsBeforeResolve: [],
                    topFrames: Array(result.signature.similarityFrames.prefix(5)))
                Self.apply(model, to: &group)
                try group.insert(db)
            }
            var occurrence = OccurrenceRecord(
                id: nil, groupID: group.id!, time: time, reportPath: reportPath, contentHash: hash,
                fileIdentity: fileIdentity, identicalTo: sameText.first?.id, build: build,
                exception: [result.report.exceptionCode, result.report.exceptionName].compactMap { $0 }.joined(
                    separator: " "),
                format: result.report.format.rawValue, frames: result.signature.normalizedFrames, diagnosis: diagnosis,
                logLines: logLines,
                rawText: result.report.rawText)
            try occurrence.insert(db)
            return .recorded(groupID: group.id!, lifecycle: lifecycle)
        }
    }

    /// A report with no stack and no assertion (a cut paste) that names the same build and the same crash minute as a
    /// stored occurrence is another copy of that crash: it joins that occurrence's group instead of starting a
    /// `text#…` group of its own.
    static func sameEventGroupKey(_ result: CrashAnalysisResult, build: String?, in db: Database) throws -> String? {
        guard result.signature.normalizedFrames.isEmpty, result.report.assertion == nil, let build,
            let crashTime = result.report.crashTime?.secondsSinceEpoch
        else { return nil }
        guard
            let sameEvent = try OccurrenceRecord.filter(
                OccurrenceRecord.Columns.build == build && OccurrenceRecord.Columns.time == crashTime
            ).order(OccurrenceRecord.Columns.id).fetchOne(db)
        else { return nil }
        return try CrashGroupRecord.fetchOne(db, key: sameEvent.groupID)?.groupKey
    }

    static func title(_ result: CrashAnalysisResult) -> String {
        result.diagnosis.patterns.first?.name ?? result.signature.signature
    }

    static func model(of record: CrashGroupRecord) -> GroupLifecycle.Group {
        GroupLifecycle.Group(
            state: record.state, count: record.count, buildsSeen: record.buildsSeen,
            resolvedInBuild: record.resolvedInBuild, buildsBeforeResolve: record.buildsBeforeResolve)
    }

    static func apply(_ model: GroupLifecycle.Group, to record: inout CrashGroupRecord) {
        record.state = model.state
        record.count = model.count
        record.buildsSeen = model.buildsSeen
        record.resolvedInBuild = model.resolvedInBuild
        record.buildsBeforeResolve = model.buildsBeforeResolve
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
                var model = Self.model(of: record)
                body(&model)
                Self.apply(model, to: &record)
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
    public func recordFixCommits(
        _ commits: [(groupKey: String, commit: String, time: Int64, patch: String)]
    ) throws(HistoryError) -> Int {
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
                    var decision = FixDecisionRecord(
                        id: nil, groupID: groupID, time: commit.time, decision: .approved,
                        reason:
                            "recorded from commit \(commit.commit.prefix(12)): the approval was not written when it was made",
                        patch: commit.patch, commitHash: commit.commit)
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

    public enum Sort: String, Sendable, CaseIterable {
        case lastSeen, count, firstSeen
    }

    /// Groups for the history browser, one page at a time.
    public func groups(
        sort: Sort = .lastSeen, text: String? = nil, state: GroupState? = nil, limit: Int = 200, offset: Int = 0
    ) throws(HistoryError) -> [CrashGroupRecord] {
        do {
            return try database.read { db in
                var request = CrashGroupRecord.all()
                if let state { request = request.filter(CrashGroupRecord.Columns.state == state.rawValue) }
                if let text, !text.isEmpty {
                    let pattern = "%\(text)%"
                    request = request.filter(
                        CrashGroupRecord.Columns.signature.like(pattern) || CrashGroupRecord.Columns.title.like(pattern)
                    )
                }
                request = request.order(Column(sort.rawValue).desc, CrashGroupRecord.Columns.id.desc)
                return try request.limit(limit, offset: offset).fetchAll(db)
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
    public func occurrences(groupID: Int64, limit: Int = 100, offset: Int = 0) throws(HistoryError)
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
        -> [(group: CrashGroupRecord, sharedFrames: Int)]
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
            var scored: [(group: CrashGroupRecord, sharedFrames: Int)] = []
            for candidate in candidates {
                let shared = Set(candidate.topFrames).intersection(wanted).count
                if shared > 0 { scored.append((group: candidate, sharedFrames: shared)) }
            }
            scored.sort { a, b in
                a.sharedFrames != b.sharedFrames ? a.sharedFrames > b.sharedFrames : a.group.count > b.group.count
            }
            return Array(scored.prefix(limit))
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
}
