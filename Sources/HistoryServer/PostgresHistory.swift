public import CrashAnalysis
public import CrashStore
import CrashwatchKit
import Foundation
import Logging
import PostgresNIO

/// The crash history a team's hosts share, in PostgreSQL: the same model and lifecycle as the SQLite history, with
/// the host and realm of every occurrence.
///
/// Every occurrence and decision goes through the local `HistoryOutbox` first and is sent from there in order, so
/// nothing is lost while the server is down or slow, and nothing is written twice (the server keeps each entry's
/// uid). Lifecycle changes made on other hosts arrive through `changes()` (LISTEN/NOTIFY).
public actor PostgresHistory: HistoryStore {
    public nonisolated let location: String
    public nonisolated let origin: HistoryOrigin
    private let url: PostgresURL
    private let outbox: HistoryOutbox
    /// How long one request may take before the connection is given up as lost.
    private let requestTimeout: Duration
    private var connection: PostgresConnection?
    private var nextConnectionID = 1
    private var migrated = false
    private var ancestry: GitAncestry?
    private var lastProblem: HistoryError?
    /// Until when a new connect is not tried, after one failed; and why it failed.
    private var offlineUntil: ContinuousClock.Instant?
    private var lastConnectProblem: HistoryError?
    private let clock = ContinuousClock()
    /// The flush in progress: flushes run one after another, so an entry is never sent by two at once.
    private var flushing: Task<[String: RecordOutcome], Never>?
    private var listener: Task<Void, Never>?
    /// The listener's own connection, closed with the store.
    private var listening: PostgresConnection?
    private let changeFeed = AsyncStream<Int64>.makeStream(bufferingPolicy: .bufferingNewest(256))
    // PostgresNIO logs to a logger it is given; crashwatch's screen must not receive it.
    private let logger = Logger(label: "crashwatch.history") { _ in SwiftLogNoOpLogHandler() }

    /// A store for the server at `url`; nothing is sent until the first request (`connect()` tries at once).
    /// - Parameter outboxPath: the local SQLite file occurrences wait in.
    /// - Throws: when the outbox cannot be opened.
    public init(
        url: PostgresURL, origin: HistoryOrigin, outboxPath: String, requestTimeout: Duration = .seconds(10)
    ) throws(HistoryError) {
        self.url = url
        self.origin = origin
        location = url.redacted
        outbox = try HistoryOutbox(path: outboxPath)
        self.requestTimeout = requestTimeout
    }

    deinit {
        listener?.cancel()
        changeFeed.continuation.finish()
        // PostgresNIO requires every connection closed before it goes: each is kept until its close completes.
        for open in [connection, listening].compactMap({ $0 }) {
            let closing: EventLoopFuture<Void> = open.close()
            closing.whenComplete { _ in withExtendedLifetime(open) {} }
        }
    }

    public var isSetUp: Bool { migrated }
    public var pendingCount: Int { (try? outbox.count()) ?? 0 }
    public var problem: HistoryError? { lastProblem }

    public func useSourceTree(_ root: String?) { ancestry = root.map(GitAncestry.init(root:)) }

    /// Connects, migrates and sends what waits; the error says which of server, login or database is wrong.
    public func connect() async throws(HistoryError) {
        offlineUntil = nil
        _ = try await withConnection { _ in () }
        _ = await flush()
    }

    /// Closes the connection (the outbox keeps what was not sent).
    public func close() async {
        listener?.cancel()
        listener = nil
        if let listening { try? await listening.close() }
        listening = nil
        if let connection { try? await connection.close() }
        connection = nil
    }

    // MARK: - Connection

    private func connected() async throws(HistoryError) -> PostgresConnection {
        if let connection, !connection.isClosed {
            if !migrated {
                do { try await migrate(connection) } catch { throw problem(error) }
                migrated = true
            }
            return connection
        }
        connection = nil
        // Right after a failed connect, fail at once: on a network that drops packets every request would otherwise
        // wait out the connect time-out, and the inbox makes several per crash. `retryPending` tries again.
        if let quietUntil = offlineUntil, clock.now < quietUntil, let lastConnectProblem { throw lastConnectProblem }
        var configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database,
            tls: try tls())
        configuration.options.connectTimeout = .seconds(Int64(max(1, requestTimeout.components.seconds)))
        let opened: PostgresConnection
        do {
            opened = try await PostgresConnection.connect(
                configuration: configuration, id: nextConnectionID, logger: logger)
        } catch {
            let failed = problem(error)
            lastConnectProblem = failed
            offlineUntil = clock.now + .seconds(5)
            throw failed
        }
        offlineUntil = nil
        nextConnectionID += 1
        connection = opened
        if !migrated {
            do {
                try await migrate(opened)
            } catch {
                throw problem(error)
            }
            migrated = true
        }
        return opened
    }

    private func tls() throws(HistoryError) -> PostgresConnection.Configuration.TLS {
        switch url.tls {
        case .disable: return .disable
        case .prefer, .require, .verify:
            var configuration = TLSConfiguration.makeClientConfiguration()
            if url.tls != .verify { configuration.certificateVerification = .none }
            do {
                let context = try NIOSSLContext(configuration: configuration)
                return url.tls == .prefer ? .prefer(context) : .require(context)
            } catch {
                throw HistoryError(kind: .cannotOpen, path: location, detail: "TLS cannot be set up: \(error)")
            }
        }
    }

    /// Runs `body` on the connection; a request that takes longer than the time limit closes the connection (it is
    /// lost), and every error becomes a `HistoryError` that names what is wrong.
    private func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(HistoryError)
        -> T
    {
        let connection = try await connected()
        let timedOut = LockBox(false)
        let limit = requestTimeout
        let watchdog = Task {
            try? await Task.sleep(for: limit)
            guard !Task.isCancelled else { return }
            timedOut.withLock { $0 = true }
            try? await connection.close()
        }
        defer { watchdog.cancel() }
        do {
            return try await body(connection)
        } catch {
            if connection.isClosed { self.connection = nil }
            if timedOut.withLock({ $0 }) {
                self.connection = nil
                throw HistoryError(
                    kind: .unreachable, path: location,
                    detail: "no answer within \(limit.components.seconds) s (a slow network, or the server is stuck)")
            }
            throw problem(error)
        }
    }

    private func migrate(_ connection: PostgresConnection) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS crashwatch_migration (
                    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """, logger: logger)
            var applied: Set<String> = []
            for try await name in try await connection.query(
                "SELECT name FROM crashwatch_migration", logger: logger
            ).decode(String.self) {
                applied.insert(name)
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                for statement in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO crashwatch_migration (name) VALUES (\(migration.name))", logger: logger)
            }
        }
    }

    /// What went wrong, said for a person: which of server, login, database, or the request.
    private func problem(_ error: any Error) -> HistoryError {
        if let error = error as? HistoryError { return error }
        if let error = error as? PostgresTransactionError {
            return problem(error.closureError ?? error.beginError ?? error.commitError ?? error.rollbackError ?? error)
        }
        guard let error = error as? PSQLError else {
            return HistoryError(kind: .unreachable, path: location, detail: "\(error)")
        }
        let serverMessage = error.serverInfo?[.message] ?? ""
        switch error.code {
        case .server:
            switch error.serverInfo?[.sqlState] ?? "" {
            case "28P01":
                return HistoryError(
                    kind: .refused, path: location,
                    detail: "wrong password for user \(url.user) (the password came from \(url.passwordSource))")
            case "28000":
                return HistoryError(kind: .refused, path: location, detail: "user \(url.user): \(serverMessage)")
            case "3D000":
                return HistoryError(
                    kind: .noDatabase, path: location,
                    detail:
                        "there is no database \(url.database) on \(url.host) (createdb \(url.database), or fix the URL)"
                )
            case let state where state.hasPrefix("08") || state.hasPrefix("57P"):
                return HistoryError(kind: .unreachable, path: location, detail: serverMessage)
            case let state:
                return HistoryError(kind: .other, path: location, detail: "\(serverMessage) (SQLSTATE \(state))")
            }
        case .authMechanismRequiresPassword:
            return HistoryError(
                kind: .refused, path: location,
                detail:
                    "the server wants a password for user \(url.user) and none was given (\(url.passwordSource); put it in the URL, PGPASSWORD or ~/.pgpass)"
            )
        case .sslUnsupported:
            return HistoryError(
                kind: .cannotOpen, path: location, detail: "the URL asks for TLS and the server does not offer it")
        case .connectionError where "\(error.underlying.map { "\($0)" } ?? "")".contains("CERTIFICATE_VERIFY_FAILED"):
            return HistoryError(
                kind: .refused, path: location,
                detail:
                    "the server's TLS certificate cannot be verified (sslmode=verify-full): it must be signed by a CA this system trusts, for the host name in the URL; sslmode=require encrypts without that check"
            )
        case .connectionError:
            return HistoryError(
                kind: .unreachable, path: location,
                detail: "nothing answers at \(url.host):\(url.port) (\(Self.reason(error.underlying)))")
        case .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            return HistoryError(kind: .unreachable, path: location, detail: "the connection was lost")
        default:
            return HistoryError(kind: .other, path: location, detail: "\(error.code)")
        }
    }

    /// The socket error in a few words: NIO's own text names every address it tried.
    static func reason(_ underlying: (any Error)?) -> String {
        let text = underlying.map { "\($0)" } ?? ""
        let known = [
            ("Connection refused", "connection refused: is the server running, on that port?"),
            ("No route to host", "no route to the host"), ("timed out", "the connection timed out"),
            ("Network is unreachable", "the network is unreachable"),
            ("resolve", "the host name cannot be resolved"), ("not known", "the host name cannot be resolved"),
        ]
        return known.first { text.contains($0.0) }?.1 ?? (text.isEmpty ? "no answer" : text)
    }

    // MARK: - Writing

    public func record(_ result: CrashAnalysisResult, reportPath: String, time: Int64, fileIdentity: String?) async
        -> RecordOutcome
    {
        await record(
            PreparedOccurrence(
                result: result, reportPath: reportPath, time: time, fileIdentity: fileIdentity, origin: origin))
    }

    /// Keeps `occurrence` in the outbox and sends what waits: its outcome when it got through, else `.pending`.
    public func record(_ occurrence: PreparedOccurrence) async -> RecordOutcome {
        do {
            try outbox.append(.occurrence(occurrence))
        } catch {
            lastProblem = error
            return .pending(error)
        }
        let outcomes = await flush()
        return outcomes[occurrence.uid] ?? .pending(lastProblem ?? offline)
    }

    private var offline: HistoryError {
        HistoryError(kind: .unreachable, path: location, detail: "not sent yet")
    }

    /// Writes occurrences straight to the server, each in its own transaction, without the outbox (a bulk import or
    /// a benchmark, where a failure should stop the run rather than wait).
    public func recordAll(_ occurrences: [PreparedOccurrence]) async throws(HistoryError) -> [RecordOutcome] {
        var outcomes: [RecordOutcome] = []
        for occurrence in occurrences { outcomes.append(try await write(occurrence)) }
        return outcomes
    }

    /// Sends what waits; with nothing waiting, asks the server whether it is there, so that "offline" is known
    /// before the next crash needs it.
    public func retryPending() async -> Int {
        offlineUntil = nil
        _ = await flush()
        let waiting = pendingCount
        if waiting == 0 {
            let logger = logger
            do {
                try await withConnection { connection in try await connection.query("SELECT 1", logger: logger) }
                lastProblem = nil
            } catch {
                lastProblem = error
            }
        }
        return waiting
    }

    /// Sends the outbox, oldest first, until it is empty or the server cannot take more; one flush at a time.
    private func flush() async -> [String: RecordOutcome] {
        let previous = flushing
        let task = Task { [previous] in
            _ = await previous?.value
            return await self.sendWaiting()
        }
        flushing = task
        return await task.value
    }

    private func sendWaiting() async -> [String: RecordOutcome] {
        var outcomes: [String: RecordOutcome] = [:]
        while true {
            let waiting: [(seq: Int64, entry: HistoryOutbox.Entry)]
            do { waiting = try outbox.oldest(limit: 100) } catch {
                lastProblem = error
                return outcomes
            }
            guard !waiting.isEmpty else { break }
            for (seq, entry) in waiting {
                do {
                    outcomes[entry.uid] = try await send(entry)
                } catch {
                    lastProblem = error
                    return outcomes
                }
                do { try outbox.remove(seq: seq) } catch {
                    lastProblem = error
                    return outcomes
                }
            }
        }
        lastProblem = nil
        return outcomes
    }

    private func send(_ entry: HistoryOutbox.Entry) async throws(HistoryError) -> RecordOutcome {
        switch entry {
        case .occurrence(let occurrence): return try await write(occurrence)
        case .decision(let uid, let decision):
            try await insertIfNew(decision, uid: uid)
            return .recorded(groupID: decision.groupID, lifecycle: .repeated)
        }
    }

    /// Writes one occurrence and counts it in its group, in one transaction that holds the group's row: two hosts
    /// writing the same group at once are counted one after the other.
    func write(_ occurrence: PreparedOccurrence) async throws(HistoryError) -> RecordOutcome {
        let ancestry = ancestry
        let logger = logger
        return try await withConnection { connection in
            try await connection.withTransaction(logger: logger) { connection -> RecordOutcome in
                if let known = try await connection.query(
                    "SELECT group_id FROM occurrence WHERE uid = \(occurrence.uid)", logger: logger
                ).decode(Int64.self).first(where: { _ in true }) {
                    return .duplicate(groupID: known)
                }
                var sameText: [OccurrenceRecord] = []
                for try await row in try await connection.query(
                    """
                    SELECT \(unescaped: PostgresSchema.occurrenceColumns) FROM occurrence
                    WHERE content_hash = \(occurrence.contentHash) ORDER BY id
                    """, logger: logger)
                {
                    sameText.append(try PostgresRows.occurrence(row))
                }
                if let existing = sameText.first(where: { $0.isSameFile(as: occurrence) }) {
                    return .duplicate(groupID: existing.groupID)
                }
                var groupKey = occurrence.groupKey
                if occurrence.isStackless, let build = occurrence.build, let crashTime = occurrence.statedCrashTime,
                    let sameEvent = try await connection.query(
                        """
                        SELECT g.group_key FROM occurrence o JOIN crash_group g ON g.id = o.group_id
                        WHERE o.build = \(build) AND o.crashed_at = \(crashTime) AND o.host = \(occurrence.host)
                        ORDER BY o.id LIMIT 1
                        """, logger: logger
                    ).decode(String.self).first(where: { _ in true })
                {
                    groupKey = sameEvent
                }
                func lockedGroup() async throws -> CrashGroupRecord? {
                    var group: CrashGroupRecord?
                    for try await row in try await connection.query(
                        """
                        SELECT \(unescaped: PostgresSchema.groupColumns) FROM crash_group
                        WHERE group_key = \(groupKey) FOR UPDATE
                        """, logger: logger)
                    {
                        group = try PostgresRows.group(row)
                    }
                    return group
                }
                // Looked up before inserting, so that a repeat does not use up an id of the sequence.
                var group = try await lockedGroup()
                if group == nil {
                    let fresh = occurrence.newGroup
                    try await connection.query(
                        """
                        INSERT INTO crash_group (group_key, signature, algorithm_version, title, fault_kind, severity,
                            pattern_id, is_bot_related, first_seen, last_seen, occurrence_count, builds_seen, state,
                            resolved_in_build, builds_before_resolve, top_frames)
                        VALUES (\(groupKey), \(fresh.signature), \(Int32(fresh.algorithmVersion)), \(fresh.title),
                            \(fresh.faultKind), \(fresh.severity), \(fresh.patternID), \(fresh.isBotRelated),
                            \(fresh.firstSeen), \(fresh.lastSeen), \(Int32(0)), \(fresh.buildsSeen), \(fresh.state.rawValue),
                            \(fresh.resolvedInBuild), \(fresh.buildsBeforeResolve), \(fresh.topFrames))
                        ON CONFLICT (group_key) DO NOTHING
                        """, logger: logger)
                    // Another host may have inserted it a moment before: either way the row is there now.
                    group = try await lockedGroup()
                }
                guard var group, let groupID = group.id else {
                    throw HistoryError(kind: .other, path: "", detail: "the group row vanished while it was written")
                }
                let lifecycle = group.count(occurrence, ancestry: ancestry)
                try await Self.updateGroup(group, on: connection, logger: logger)
                let row = occurrence.record(groupID: groupID, identicalTo: sameText.first?.id)
                try await connection.query(
                    """
                    INSERT INTO occurrence (uid, group_id, crashed_at, host, realm, report_path, content_hash,
                        file_identity, identical_to, build, exception, format, frames, diagnosis, log_lines, raw_text)
                    VALUES (\(occurrence.uid), \(groupID), \(row.time), \(row.host), \(row.realm), \(row.reportPath),
                        \(row.contentHash), \(row.fileIdentity), \(row.identicalTo), \(row.build), \(row.exception),
                        \(row.format), \(row.frames), \(row.diagnosis), \(row.logLines), \(row.rawText))
                    """, logger: logger)
                try await connection.query(
                    """
                    INSERT INTO group_host (group_id, host, realm, occurrence_count, first_seen, last_seen, builds)
                    VALUES (\(groupID), \(row.host), \(row.realm ?? ""), 1, \(row.time), \(row.time),
                        \(row.build.map { [$0] } ?? []))
                    ON CONFLICT (group_id, host, realm) DO UPDATE SET
                        occurrence_count = group_host.occurrence_count + 1,
                        first_seen = LEAST(group_host.first_seen, EXCLUDED.first_seen),
                        last_seen = GREATEST(group_host.last_seen, EXCLUDED.last_seen),
                        builds = CASE WHEN \(row.build)::text IS NULL OR \(row.build) = ANY(group_host.builds)
                            THEN group_host.builds ELSE ARRAY_APPEND(group_host.builds, \(row.build)) END
                    """, logger: logger)
                try await Self.notify(groupID, host: occurrence.host, on: connection, logger: logger)
                return .recorded(groupID: groupID, lifecycle: lifecycle)
            }
        }
    }

    private static func updateGroup(_ group: CrashGroupRecord, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await connection.query(
            """
            UPDATE crash_group SET state = \(group.state.rawValue), occurrence_count = \(Int32(group.count)),
                builds_seen = \(group.buildsSeen), resolved_in_build = \(group.resolvedInBuild),
                builds_before_resolve = \(group.buildsBeforeResolve), first_seen = \(group.firstSeen),
                last_seen = \(group.lastSeen)
            WHERE id = \(group.id ?? -1)
            """, logger: logger)
    }

    private static func notify(_ groupID: Int64, host: String, on connection: PostgresConnection, logger: Logger)
        async throws
    {
        try await connection.query(
            "SELECT pg_notify(\(PostgresSchema.channel), \("\(groupID) \(host)"))", logger: logger)
    }

    /// Writes a decision unless one with `uid` is there; says whether it wrote it.
    @discardableResult
    func insertIfNew(_ decision: FixDecisionRecord, uid: String) async throws(HistoryError) -> Bool {
        let logger = logger
        let host = origin.host
        return try await withConnection { connection in
            var inserted = false
            for try await _ in try await connection.query(
                """
                INSERT INTO fix_decision (uid, group_id, decided_at, decision, reason, patch, commit_hash)
                SELECT \(uid), \(decision.groupID), \(decision.time), \(decision.decision.rawValue), \(decision.reason),
                    \(decision.patch), \(decision.commitHash)
                WHERE EXISTS (SELECT 1 FROM crash_group WHERE id = \(decision.groupID))
                ON CONFLICT (uid) DO NOTHING RETURNING id
                """, logger: logger)
            {
                inserted = true
            }
            if inserted { try await Self.notify(decision.groupID, host: host, on: connection, logger: logger) }
            return inserted
        }
    }

    public func withdraw(reportPath: String) async throws(HistoryError) -> Int {
        let unsent = try outbox.removeOccurrences(reportPath: reportPath)
        let logger = logger
        let host = origin.host
        let removed = try await withConnection { connection in
            try await connection.withTransaction(logger: logger) { connection -> Int in
                var groups: [Int64] = []
                for try await groupID in try await connection.query(
                    "DELETE FROM occurrence WHERE report_path = \(reportPath) AND host = \(host) RETURNING group_id",
                    logger: logger
                ).decode(Int64.self) {
                    groups.append(groupID)
                }
                for groupID in groups {
                    try await connection.query(
                        """
                        UPDATE crash_group SET occurrence_count = GREATEST(occurrence_count - 1, 0)
                        WHERE id = \(groupID)
                        """, logger: logger)
                }
                try await connection.query(
                    "DELETE FROM group_host WHERE group_id = ANY(\(groups)) AND host = \(host)", logger: logger)
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: PostgresSchema.rebuildGroupHosts(where: "o.group_id = ANY($1) AND o.host = $2"),
                        binds: try {
                            var binds = PostgresBindings()
                            try binds.append(groups)
                            try binds.append(host)
                            return binds
                        }()), logger: logger)
                try await connection.query(
                    """
                    DELETE FROM crash_group g WHERE g.id = ANY(\(groups)) AND g.occurrence_count = 0
                        AND NOT EXISTS (SELECT 1 FROM fix_decision d WHERE d.group_id = g.id)
                    """, logger: logger)
                return groups.count
            }
        }
        return removed + unsent
    }

    // MARK: - Lifecycle

    public func resolve(groupID: Int64, inBuild build: String) async throws(HistoryError) {
        try await change(groupID) { GroupLifecycle.resolve(&$0, inBuild: build) }
    }

    public func ignore(groupID: Int64) async throws(HistoryError) {
        try await change(groupID) { GroupLifecycle.ignore(&$0) }
    }

    public func reopen(groupID: Int64) async throws(HistoryError) {
        try await change(groupID) { GroupLifecycle.reopen(&$0) }
    }

    private func change(_ groupID: Int64, _ body: @escaping @Sendable (inout GroupLifecycle.Group) -> Void)
        async throws(HistoryError)
    {
        let logger = logger
        let host = origin.host
        try await withConnection { connection in
            try await connection.withTransaction(logger: logger) { connection in
                for try await row in try await connection.query(
                    "SELECT \(unescaped: PostgresSchema.groupColumns) FROM crash_group WHERE id = \(groupID) FOR UPDATE",
                    logger: logger)
                {
                    var group = try PostgresRows.group(row)
                    group.changeLifecycle(body)
                    try await Self.updateGroup(group, on: connection, logger: logger)
                }
                try await Self.notify(groupID, host: host, on: connection, logger: logger)
            }
        }
    }

    /// Gives a group the lifecycle a pushed history had for it (resolved, ignored …), when this push created it.
    func adoptLifecycle(groupID: Int64, from local: CrashGroupRecord) async throws(HistoryError) {
        try await change(groupID) { group in
            group.state = local.state
            group.resolvedInBuild = local.resolvedInBuild
            group.buildsBeforeResolve = local.buildsBeforeResolve
        }
    }

    /// Keeps the decision in the outbox and sends it; a decision made while the server is away is sent later.
    public func recordDecision(_ decision: FixDecisionRecord) async throws(HistoryError) {
        try outbox.append(.decision(uid: UUID().uuidString.lowercased(), decision))
        _ = await flush()
    }

    public func recordFixCommits(_ commits: [FixCommit]) async throws(HistoryError) -> Int {
        var recorded = 0
        for commit in commits {
            guard let group = try await groupByKey(commit.groupKey), let groupID = group.id else { continue }
            let known = try await decisions(groupID: groupID).contains { $0.commitHash == commit.commit }
            guard !known else { continue }
            if try await insertIfNew(
                FixDecisionRecord(recoveredFrom: commit, groupID: groupID), uid: "commit-\(commit.commit)")
            {
                recorded += 1
            }
        }
        return recorded
    }

    // MARK: - Reading

    private func rows<T: Sendable>(_ query: PostgresQuery, _ read: @escaping @Sendable (PostgresRow) throws -> T)
        async throws(HistoryError) -> [T]
    {
        let logger = logger
        return try await withConnection { connection in
            var result: [T] = []
            for try await row in try await connection.query(query, logger: logger) { result.append(try read(row)) }
            return result
        }
    }

    public func groups(_ filter: GroupFilter) async throws(HistoryError) -> [CrashGroupRecord] {
        let order =
            switch filter.sort {
            case .lastSeen: "last_seen"
            case .count: "occurrence_count"
            case .firstSeen: "first_seen"
            }
        let pattern = filter.text.flatMap { $0.isEmpty ? nil : "%\($0)%" }
        return try await rows(
            """
            SELECT \(unescaped: PostgresSchema.groupColumns) FROM crash_group g
            WHERE (\(filter.state?.rawValue)::text IS NULL OR g.state = \(filter.state?.rawValue))
              AND (\(pattern)::text IS NULL OR g.signature ILIKE \(pattern) OR g.title ILIKE \(pattern))
              AND (\(filter.host)::text IS NULL AND \(filter.realm)::text IS NULL OR EXISTS (
                    SELECT 1 FROM group_host h WHERE h.group_id = g.id
                      AND (\(filter.host)::text IS NULL OR h.host = \(filter.host))
                      AND (\(filter.realm)::text IS NULL OR h.realm = \(filter.realm))))
            ORDER BY g.\(unescaped: order) DESC, g.id DESC LIMIT \(filter.limit) OFFSET \(filter.offset)
            """, PostgresRows.group)
    }

    public func group(id: Int64) async throws(HistoryError) -> CrashGroupRecord? {
        try await rows(
            "SELECT \(unescaped: PostgresSchema.groupColumns) FROM crash_group WHERE id = \(id)", PostgresRows.group
        ).first
    }

    private func groupByKey(_ key: String) async throws(HistoryError) -> CrashGroupRecord? {
        try await rows(
            "SELECT \(unescaped: PostgresSchema.groupColumns) FROM crash_group WHERE group_key = \(key)",
            PostgresRows.group
        ).first
    }

    public func occurrences(groupID: Int64, limit: Int, offset: Int) async throws(HistoryError) -> [OccurrenceRecord] {
        try await rows(
            """
            SELECT \(unescaped: PostgresSchema.occurrenceColumns) FROM occurrence WHERE group_id = \(groupID)
            ORDER BY crashed_at DESC, id DESC LIMIT \(limit) OFFSET \(offset)
            """, PostgresRows.occurrence)
    }

    public func decisions(groupID: Int64) async throws(HistoryError) -> [FixDecisionRecord] {
        try await rows(
            "SELECT * FROM fix_decision WHERE group_id = \(groupID) ORDER BY decided_at DESC", PostgresRows.decision)
    }

    public func similarGroups(to frames: [String], excludingGroupKey key: String, limit: Int) async throws(HistoryError)
        -> [SimilarGroup]
    {
        guard !frames.isEmpty else { return [] }
        let candidates = try await rows(
            """
            SELECT \(unescaped: PostgresSchema.groupColumns) FROM crash_group
            WHERE group_key <> \(key) AND top_frames && \(frames) ORDER BY last_seen DESC LIMIT 10000
            """, PostgresRows.group)
        return SimilarGroup.ranked(candidates, sharing: Set(frames), limit: limit)
    }

    public func firstOccurrence(contentHash: String) async throws(HistoryError) -> OccurrenceRecord? {
        try await rows(
            """
            SELECT \(unescaped: PostgresSchema.occurrenceColumns) FROM occurrence WHERE content_hash = \(contentHash)
            ORDER BY id LIMIT 1
            """, PostgresRows.occurrence
        ).first
    }

    public func contains(contentHash: String) async throws(HistoryError) -> Bool {
        try await firstOccurrence(contentHash: contentHash) != nil
    }

    public func counts() async throws(HistoryError) -> (groups: Int, occurrences: Int) {
        let found = try await rows(
            "SELECT (SELECT COUNT(*) FROM crash_group), (SELECT COUNT(*) FROM occurrence)"
        ) { row in try row.decode((Int64, Int64).self) }
        return (groups: Int(found.first?.0 ?? 0), occurrences: Int(found.first?.1 ?? 0))
    }

    public func recentOccurrences(limit: Int) async throws(HistoryError) -> [OccurrenceRecord] {
        try await rows(
            """
            SELECT \(unescaped: PostgresSchema.occurrenceColumns) FROM occurrence WHERE host = \(origin.host)
            ORDER BY crashed_at DESC, id DESC LIMIT \(limit)
            """, PostgresRows.occurrence)
    }

    public func sightings(groupIDs: [Int64]) async throws(HistoryError) -> [Int64: [HostSighting]] {
        guard !groupIDs.isEmpty else { return [:] }
        let found = try await rows(
            """
            SELECT group_id, host, realm, occurrence_count, first_seen, last_seen, builds FROM group_host
            WHERE group_id = ANY(\(groupIDs)) ORDER BY occurrence_count DESC
            """
        ) { row in
            let (groupID, host, realm, count, first, last, builds) = try row.decode(
                (Int64, String, String, Int32, Int64, Int64, [String]).self)
            return (
                groupID,
                HostSighting(
                    host: host, realm: realm.isEmpty ? nil : realm, count: Int(count), firstSeen: first,
                    lastSeen: last, builds: builds)
            )
        }
        return Dictionary(grouping: found, by: \.0).mapValues { $0.map(\.1) }
    }

    // MARK: - Changes from other hosts

    public nonisolated func changes() -> AsyncStream<Int64> {
        Task { await self.startListening() }
        return changeFeed.stream
    }

    private func keepListening(_ connection: PostgresConnection) {
        if listener == nil {
            let _: EventLoopFuture<Void> = connection.close()
            return
        }
        listening = connection
    }

    /// Listens on its own connection (a listening connection cannot be lent to queries), reconnecting every few
    /// seconds while the server is away.
    private func startListening() {
        guard listener == nil else { return }
        let url = url
        let logger = logger
        let host = origin.host
        let continuation = changeFeed.continuation
        let tls = try? tls()
        listener = Task {
            var id = 1_000_000
            while !Task.isCancelled {
                do {
                    let configuration = PostgresConnection.Configuration(
                        host: url.host, port: url.port, username: url.user, password: url.password,
                        database: url.database, tls: tls ?? .disable)
                    let connection = try await PostgresConnection.connect(
                        configuration: configuration, id: id, logger: logger)
                    id += 1
                    self.keepListening(connection)
                    defer { Task { try? await connection.close() } }
                    try await connection.listen(on: PostgresSchema.channel) { notifications in
                        for try await notification in notifications {
                            let parts = notification.payload.split(separator: " ", maxSplits: 1)
                            guard parts.count == 2, let groupID = Int64(parts[0]), parts[1] != host else { continue }
                            continuation.yield(groupID)
                        }
                    }
                } catch {
                    try? await Task.sleep(for: .seconds(2))
                }
            }
        }
    }
}
