import CrashAnalysis
import CrashStore
import CrashwatchKit
import Foundation
import HistoryServer
import TestSupport
import Testing

/// The shared history against a real PostgreSQL server (Scripts/postgres-cluster.sh; `.ci/run` starts one).
@Suite(
    .serialized, .enabled(if: PostgresTestServer.isAvailable, PostgresTestServer.skipReason), .timeLimit(.minutes(5)))
struct PostgresHistoryTests {
    let scratch = TemporaryDirectory("cw-pg")

    private func store(_ url: String, host: String, realm: String? = nil, timeout: Duration = .seconds(10)) throws
        -> PostgresHistory
    {
        try PostgresHistory(
            url: try PostgresURL(url, environment: [:]), origin: HistoryOrigin(host: host, realm: realm),
            outboxPath: scratch.file("outbox-\(host).sqlite"), requestTimeout: timeout)
    }

    private func crash(_ function: String, build: String? = "abc123", salt: String) -> CrashAnalysisResult {
        SampleCrash.result(function: function, build: build, salt: salt)
    }

    @Test func twoHostsShareGroupsWithCountsPerHost() async throws {
        let database = try PostgresTestServer.freshDatabase()
        let live = try store(database, host: "live-host", realm: "1")
        let test = try store(database, host: "test-host", realm: "2")
        // Both open a new database at once: it is migrated once.
        async let openLive: Void = live.connect()
        async let openTest: Void = test.connect()
        _ = try await (openLive, openTest)

        let first = await live.record(crash("Map::Update", salt: "a"), reportPath: "Crashes/a.txt", time: 100)
        let second = await test.record(crash("Map::Update", salt: "b"), reportPath: "Crashes/a.txt", time: 200)
        let third = await test.record(crash("Map::Update", salt: "c"), reportPath: "Crashes/c.txt", time: 300)
        guard case .recorded(let group, .newGroup) = first, case .recorded(let same, .repeated) = second,
            case .recorded(_, .repeated) = third
        else {
            Issue.record("one group across hosts: \(first), \(second), \(third)")
            return
        }
        #expect(group == same)
        // The same path on another host is another file: not a duplicate. The same file on the same host is.
        #expect(
            await test.record(crash("Map::Update", salt: "c"), reportPath: "Crashes/c.txt", time: 300)
                == .duplicate(groupID: group))

        let sightings = try await live.sightings(groupID: group)
        #expect(sightings.map(\.host).sorted() == ["live-host", "test-host"])
        #expect(sightings.first { $0.host == "test-host" }?.count == 2)
        #expect(sightings.first { $0.host == "test-host" }?.firstSeen == 200)
        #expect(sightings.first { $0.host == "live-host" }?.place == "realm 1")
        #expect(try await live.group(id: group)?.count == 3)
        #expect(try await live.groups(GroupFilter(host: "test-host")).map(\.id) == [group])
        #expect(try await live.groups(GroupFilter(realm: "3")).isEmpty)
        #expect(try await live.groups(GroupFilter.parsing("host:live-host Map")).map(\.id) == [group])
    }

    @Test func aLifecycleChangeOnOneHostIsSeenOnTheOther() async throws {
        let database = try PostgresTestServer.freshDatabase()
        let live = try store(database, host: "live-host")
        let test = try store(database, host: "test-host")
        try await live.connect()
        try await test.connect()
        guard
            case .recorded(let group, _) = await live.record(
                crash("Unit::DealDamage", build: "b1", salt: "x"), reportPath: "a.txt", time: 10)
        else {
            Issue.record("recorded")
            return
        }
        let changes = test.changes()
        // LISTEN is set up on its own connection: a change made once it listens must arrive.
        var listening = false
        for _ in 0..<50 where !listening {
            try await Task.sleep(for: .milliseconds(100))
            listening = try await Self.isListening(database)
        }
        #expect(listening, "the other host listens for changes")
        try await live.resolve(groupID: group, inBuild: "b1")
        let seen = await Self.first(of: changes, within: .seconds(5))
        #expect(seen == group, "the resolve on live-host reaches test-host within seconds")
        #expect(try await test.group(id: group)?.state == .resolved)
        // Regression is judged per build, as in the SQLite history: the resolved build again is a regression.
        let again = await test.record(crash("Unit::DealDamage", build: "b1", salt: "y"), reportPath: "b.txt", time: 20)
        #expect(again == .recorded(groupID: group, lifecycle: .regressed))
        await live.close()
        await test.close()
    }

    static func isListening(_ url: String) throws -> Bool {
        let completed = try ChildProcess.run(
            ["psql", url, "-tAc", "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'"],
            timeout: .seconds(20))
        return (Int(completed.outputText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0
    }

    static func first(of stream: AsyncStream<Int64>, within limit: Duration) async -> Int64? {
        await withTaskGroup(of: Int64?.self) { group in
            group.addTask {
                for await value in stream { return value }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test func theOutboxKeepsEveryOccurrenceAcrossAServerStopAndSendsEachOnce() async throws {
        let cluster = try PostgresCluster.startPrivate()
        defer { cluster.remove() }
        let database = try cluster.createDatabase()
        let history = try store(database, host: "live-host", timeout: .seconds(5))
        try await history.connect()
        for index in 0..<3 {
            _ = await history.record(crash("World::Update", salt: "up\(index)"), reportPath: "u\(index).txt", time: 1)
        }
        cluster.stop()
        for index in 0..<5 {
            let outcome = await history.record(
                crash("World::Update", salt: "down\(index)"), reportPath: "d\(index).txt", time: 2)
            guard case .pending(let problem) = outcome else {
                Issue.record("the server is down: \(outcome)")
                return
            }
            #expect(problem.kind == .unreachable)
        }
        #expect(await history.pendingCount == 5)
        #expect(await history.problem?.kind == .unreachable)
        try cluster.restart()
        #expect(await history.retryPending() == 0)
        #expect(await history.problem == nil)
        #expect(try await history.counts() == (groups: 1, occurrences: 8))
        #expect(try await history.groups(GroupFilter()).first?.count == 8)
        // Sent again (an answer lost after the commit): taken once.
        #expect(await history.retryPending() == 0)
        #expect(try await history.counts().occurrences == 8)
        await history.close()
    }

    @Test func anOccurrenceWhoseAnswerWasLostIsNotWrittenTwice() async throws {
        let database = try PostgresTestServer.freshDatabase()
        let history = try store(database, host: "live-host")
        let occurrence = PreparedOccurrence(
            result: crash("Map::Update", salt: "lost"), reportPath: "l.txt", time: 5, fileIdentity: nil,
            origin: history.origin)
        // The server took it, but crashwatch stopped before it heard so: the outbox still has it at the next start.
        _ = try await history.recordAll([occurrence])
        let outbox = try HistoryOutbox(path: scratch.file("outbox-live-host.sqlite"))
        try outbox.append(.occurrence(occurrence))
        #expect(await history.retryPending() == 0)
        #expect(try await history.counts() == (groups: 1, occurrences: 1))
        #expect(try await history.groups(GroupFilter()).first?.count == 1)
        await history.close()
    }

    @Test func pushingALocalHistoryTwiceAddsNothingTheSecondTime() async throws {
        let database = try PostgresTestServer.freshDatabase()
        let local = try CrashHistory(path: scratch.file("local.sqlite"), origin: HistoryOrigin(host: "old-host"))
        for index in 0..<4 {
            _ = await local.record(crash("Map::Update", salt: "\(index)"), reportPath: "m\(index).txt", time: 10)
        }
        guard
            case .recorded(let resolvedGroup, _) = await local.record(
                crash("Spell::cast", build: "b7", salt: "s"), reportPath: "s.txt", time: 20)
        else { return }
        try await local.resolve(groupID: resolvedGroup, inBuild: "b7")
        try await local.recordDecision(
            FixDecisionRecord(
                id: nil, groupID: resolvedGroup, time: 30, decision: .approved, reason: nil, patch: "diff",
                commitHash: "c0ffee"))
        let shared = try store(database, host: "live-host")
        try await shared.connect()
        let first = try await HistoryPush.run(from: local, into: shared)
        #expect(first.occurrencesSent == 5 && first.alreadyThere == 0 && first.decisionsSent == 1)
        #expect(first.statesCopied == 1)
        let second = try await HistoryPush.run(from: local, into: shared)
        #expect(second.occurrencesSent == 0 && second.alreadyThere == 5 && second.decisionsSent == 0)
        #expect(try await shared.counts() == (groups: 2, occurrences: 5))
        let spell = try #require(try await shared.groups(GroupFilter(text: "Spell")).first)
        #expect(spell.state == .resolved && spell.resolvedInBuild == "b7")
        #expect(try await shared.decisions(groupID: spell.id!).map(\.commitHash) == ["c0ffee"])
        #expect(try await shared.sightings(groupID: spell.id!).map(\.host) == ["old-host"])
        await shared.close()
    }

    @Test func tlsIsUsedWhenTheURLAsksForIt() async throws {
        let cluster = try PostgresCluster.startPrivate(ssl: true)
        defer { cluster.remove() }
        let database = try cluster.createDatabase()
        let encrypted = try store(database + "?sslmode=require", host: "tls-host")
        try await encrypted.connect()
        let name = String(database[database.index(after: database.lastIndex(of: "/")!)...])
        let completed = try ChildProcess.run(
            [
                "psql", cluster.url, "-tAc",
                "SELECT count(*) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE s.ssl AND a.datname = '\(name)'",
            ], timeout: .seconds(20))
        #expect(completed.outputText.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(completed.errorText)")
        await encrypted.close()
        // verify-full checks the certificate: a self-signed one is refused, and the message says why.
        let verified = try store(database + "?sslmode=verify-full", host: "tls-verify")
        await #expect {
            try await verified.connect()
        } throws: { error in
            "\(error)".contains("TLS certificate cannot be verified")
        }
    }

    @Test func wrongCredentialsAMissingDatabaseAndADownServerAreEachSaid() async throws {
        let server = try #require(PostgresTestServer.serverURL)
        let database = try PostgresTestServer.freshDatabase()
        let wrongPassword = database.replacingOccurrences(of: ":crashwatch@", with: ":hunter2@")
        let missing = String(database[..<database.lastIndex(of: "/")!]) + "/no_such_database"
        let down = server.replacingOccurrences(
            of: #":\d+/"#, with: ":1/", options: .regularExpression)
        for (url, kind, words) in [
            (wrongPassword, HistoryError.Kind.refused, "wrong password for user crashwatch"),
            (missing, .noDatabase, "there is no database no_such_database"),
            (down, .unreachable, "connection refused"),
        ] {
            let history = try store(url, host: "h-\(kind.rawValue)")
            do {
                try await history.connect()
                Issue.record("\(kind) should fail")
            } catch {
                #expect(error.kind == kind, "\(error)")
                #expect(error.description.contains(words), "\(error)")
                #expect(!error.description.contains("hunter2") && !error.description.contains(":crashwatch@"))
            }
            // A crash recorded meanwhile is kept, not lost.
            #expect(
                await history.record(crash("A::a", salt: url), reportPath: "x.txt", time: 1) != .duplicate(groupID: 0))
            #expect(await history.pendingCount == 1)
        }
    }
}
