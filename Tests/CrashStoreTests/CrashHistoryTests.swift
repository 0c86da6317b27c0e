import CrashAnalysis
import CrashwatchKit
import Foundation
import GRDB
import TestSupport
import Testing

@testable import CrashStore

@Suite struct CrashHistoryTests {
    let folder: String

    let scratch = TemporaryDirectory("cw-history")

    init() throws {
        folder = scratch.path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    static func result(function: String, build: String?, salt: String = "") -> CrashAnalysisResult {
        SampleCrash.result(function: function, build: build, salt: salt)
    }

    private func open() throws -> CrashHistory { try CrashHistory(path: "\(folder)/history.sqlite") }

    /// Each occurrence is counted under its host and realm, and a withdrawn read is taken out of those counts too.
    @Test func sightingsCountEachHostAndFollowAWithdraw() async throws {
        let path = "\(folder)/history.sqlite"
        let live = try CrashHistory(path: path, origin: HistoryOrigin(host: "live", realm: "1"))
        let test = try CrashHistory(path: path, origin: HistoryOrigin(host: "test"))
        _ = await live.record(Self.result(function: "Map::Update", build: "b1", salt: "1"), reportPath: "a", time: 10)
        _ = await live.record(Self.result(function: "Map::Update", build: "b2", salt: "2"), reportPath: "b", time: 30)
        guard
            case .recorded(let group, _) = await test.record(
                Self.result(function: "Map::Update", build: nil, salt: "3"), reportPath: "a", time: 20)
        else {
            Issue.record("recorded")
            return
        }
        let seen = try await live.sightings(groupID: group)
        #expect(
            seen == [
                HostSighting(host: "live", realm: "1", count: 2, firstSeen: 10, lastSeen: 30, builds: ["b1", "b2"]),
                HostSighting(host: "test", realm: nil, count: 1, firstSeen: 20, lastSeen: 20, builds: []),
            ])
        #expect(try await live.groups(GroupFilter(host: "test")).map(\.id) == [group])
        #expect(try await live.groups(GroupFilter(realm: "1")).map(\.id) == [group])
        #expect(try await live.withdraw(reportPath: "b") == 1)
        #expect(try await live.sightings(groupID: group).first { $0.host == "live" }?.count == 1)
        #expect(try await live.sightings(groupID: group).first { $0.host == "live" }?.lastSeen == 10)
        #expect(try await test.sightings(groupID: group).first { $0.host == "test" }?.count == 1)
    }

    /// A paste of only the report's header (build and `Date … Time …`, no stack) joins the full report of the same
    /// crash; the same header with another minute does not.
    @Test func aCutCopyOfTheSameCrashJoinsItsGroup() async throws {
        let history = try open()
        let minute = CivilTime(year: 2016, month: 5, day: 17, hour: 22, minute: 35)
        var full = Self.result(function: "Map::Update", build: "b16fe0bb0a32+")
        full.report.crashTime = minute
        func cut(at time: CivilTime, salt: String) -> CrashAnalysisResult {
            var result = Self.result(function: "unused", build: "b16fe0bb0a32+", salt: salt)
            result.report.crashTime = time
            result.signature = CrashSignature(
                signature: "UNKNOWN | text#\(salt)", groupKey: SignatureGenerator.stableHash(salt), algorithmVersion: 2,
                faultKind: "UNKNOWN", similarityFrames: [], normalizedFrames: [], note: nil)
            return result
        }
        let first = await history.record(full, reportPath: "full.txt", time: minute.secondsSinceEpoch)
        let copy = await history.record(
            cut(at: minute, salt: "a"), reportPath: "copy.txt", time: minute.secondsSinceEpoch)
        guard case .recorded(let fullGroup, _) = first, case .recorded(let copyGroup, let lifecycle) = copy else {
            Issue.record("both are recorded: \(first), \(copy)")
            return
        }
        #expect(copyGroup == fullGroup)
        #expect(lifecycle == .repeated)
        var later = minute
        later.minute = 36
        let other = await history.record(
            cut(at: later, salt: "b"), reportPath: "other.txt", time: later.secondsSinceEpoch)
        guard case .recorded(let otherGroup, _) = other else { Issue.record("recorded: \(other)"); return }
        #expect(otherGroup != fullGroup, "another minute is another crash")
    }

    @Test func firstOccurrenceIsNewThenOngoing() async throws {
        let history = try open()
        let first = await history.record(
            Self.result(function: "Map::Update", build: "aaa"), reportPath: "r1.txt", time: 100)
        guard case .recorded(let id, .newGroup) = first else { Issue.record("got \(first)"); return }
        let second = await history.record(
            Self.result(function: "Map::Update", build: "bbb", salt: "2"), reportPath: "r2.txt", time: 200)
        #expect(second == .recorded(groupID: id, lifecycle: .repeated))
        let group = try #require(try await history.groups().first)
        #expect(group.state == .ongoing)
        #expect(group.count == 2)
        #expect(group.buildsSeen == ["aaa", "bbb"])
        #expect(group.firstSeen == 100)
        #expect(group.lastSeen == 200)
        #expect(try await history.occurrences(groupID: id).map(\.reportPath) == ["r2.txt", "r1.txt"])
    }

    @Test func theSameReportFileIsStoredOnce() async throws {
        let history = try open()
        _ = await history.record(
            Self.result(function: "Map::Update", build: "aaa"), reportPath: "r1.txt", time: 100, fileIdentity: "1:42")
        let reread = await history.record(
            Self.result(function: "Map::Update", build: "aaa"), reportPath: "r1.txt", time: 100)
        guard case .duplicate = reread else { Issue.record("got \(reread)"); return }
        let renamed = await history.record(
            Self.result(function: "Map::Update", build: "aaa"), reportPath: "renamed.txt", time: 100,
            fileIdentity: "1:42")
        guard case .duplicate = renamed else { Issue.record("got \(renamed)"); return }
        #expect(try await history.counts().occurrences == 1)
    }

    @Test func similarGroupsShareTopFrames() async throws {
        let history = try open()
        func result(_ signature: String, frames: [String]) -> CrashAnalysisResult {
            var base = Self.result(function: signature, build: "b")
            base.signature.similarityFrames = frames
            return base
        }
        _ = await history.record(
            result("Unit::DealDamage", frames: ["Unit::DealDamage", "Spell::EffectSchoolDMG"]), reportPath: "1", time: 1
        )
        _ = await history.record(
            result("Spell::EffectSchoolDMG", frames: ["Spell::EffectSchoolDMG", "Spell::HandleEffects"]),
            reportPath: "2", time: 2)
        _ = await history.record(result("Map::Update", frames: ["Map::Update"]), reportPath: "3", time: 3)
        let open = try #require(try await history.groups().first { $0.signature == "SIGSEGV | Unit::DealDamage" })
        let similar = try await history.similarGroups(to: open.topFrames, excludingGroupKey: open.groupKey)
        #expect(similar.map(\.group.signature) == ["SIGSEGV | Spell::EffectSchoolDMG"])
        #expect(similar.first?.sharedFrames == 1)
    }

    @Test func identicalTextInANewFileIsANewOccurrence() async throws {
        let history = try open()
        guard
            case .recorded(let id, _) = await history.record(
                Self.result(function: "F", build: nil), reportPath: "a.txt", time: 1, fileIdentity: "1:1")
        else { return }
        let again = await history.record(
            Self.result(function: "F", build: nil), reportPath: "b.txt", time: 2, fileIdentity: "1:2")
        #expect(again == .recorded(groupID: id, lifecycle: .repeated))
        let occurrences = try await history.occurrences(groupID: id)
        #expect(occurrences.count == 2)
        #expect(occurrences.first?.identicalTo == occurrences.last?.id)
        #expect(try await history.groups().first?.count == 2)
    }

    @Test func anUnknownBuildAfterAResolveIsNeverARegression() async throws {
        let history = try open()
        guard
            case .recorded(let id, _) = await history.record(
                Self.result(function: "F", build: "a1b2c3d"), reportPath: "1", time: 1)
        else { return }
        try await history.resolve(groupID: id, inBuild: "a1b2c3d")
        let unknown = await history.record(Self.result(function: "F", build: nil, salt: "u"), reportPath: "2", time: 2)
        #expect(unknown == .recorded(groupID: id, lifecycle: .unknownBuildAfterResolve))
        #expect(try await history.groups().first?.state == .ongoing)
    }

    @Test func regressionFollowsTheSourceTreesHistory() async throws {
        // A real git tree: fix in `second`; `third` descends from it, `side` does not.
        let tree = "\(folder)/tree"
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        func git(_ arguments: String...) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments =
                ["git", "-C", tree, "-c", "user.name=t", "-c", "user.email=t@example.invalid"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            process.waitUntilExit()
            return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try git("init", "-q")
        _ = try git("commit", "-q", "--allow-empty", "-m", "first")
        let first = String(try git("rev-parse", "HEAD").prefix(12))
        _ = try git("commit", "-q", "--allow-empty", "-m", "second")
        let second = String(try git("rev-parse", "HEAD").prefix(12))
        _ = try git("commit", "-q", "--allow-empty", "-m", "third")
        let third = String(try git("rev-parse", "HEAD").prefix(12))
        _ = try git("checkout", "-q", "-b", "side", first)
        _ = try git("commit", "-q", "--allow-empty", "-m", "side")
        let side = String(try git("rev-parse", "HEAD").prefix(12))

        let history = try open()
        await history.useSourceTree(tree)
        guard
            case .recorded(let id, _) = await history.record(
                Self.result(function: "F", build: first), reportPath: "1", time: 1)
        else { return }
        try await history.resolve(groupID: id, inBuild: second)
        // Never seen before the resolve, but the tree says it lacks the fix: an old branch, not a regression.
        let fromSide = await history.record(
            Self.result(function: "F", build: side + "+", salt: "s"), reportPath: "2", time: 2)
        #expect(fromSide == .recorded(groupID: id, lifecycle: .oldBuildAfterResolve))
        let fromThird = await history.record(
            Self.result(function: "F", build: third, salt: "t"), reportPath: "3", time: 3)
        #expect(fromThird == .recorded(groupID: id, lifecycle: .regressed))
    }

    @Test func regressionOnlyFromABuildWithTheFix() async throws {
        let history = try open()
        guard
            case .recorded(let id, _) = await history.record(
                Self.result(function: "F", build: "old"), reportPath: "1", time: 1)
        else { return }
        try await history.resolve(groupID: id, inBuild: "fixed")
        let fromOld = await history.record(
            Self.result(function: "F", build: "old", salt: "b"), reportPath: "2", time: 2)
        #expect(fromOld == .recorded(groupID: id, lifecycle: .oldBuildAfterResolve))
        #expect(try await history.groups().first?.state == .resolved)
        let fromFixed = await history.record(
            Self.result(function: "F", build: "fixed", salt: "c"), reportPath: "3", time: 3)
        #expect(fromFixed == .recorded(groupID: id, lifecycle: .regressed))
        #expect(try await history.groups().first?.state == .regressed)
    }

    @Test func ignoreAndReopen() async throws {
        let history = try open()
        guard
            case .recorded(let id, _) = await history.record(
                Self.result(function: "F", build: "a"), reportPath: "1", time: 1)
        else { return }
        try await history.ignore(groupID: id)
        let next = await history.record(Self.result(function: "F", build: "a", salt: "x"), reportPath: "2", time: 2)
        #expect(next == .recorded(groupID: id, lifecycle: .ignored))
        #expect(try await history.groups().first?.state == .ignored)
        try await history.reopen(groupID: id)
        #expect(try await history.groups().first?.state == .ongoing)
    }

    @Test func browsingSortsAndFilters() async throws {
        let history = try open()
        for (index, function) in ["A::a", "B::b", "B::b", "C::c", "C::c", "C::c"].enumerated() {
            _ = await history.record(
                Self.result(function: function, build: "x", salt: "\(index)"), reportPath: "\(index)",
                time: Int64(10 - index))
        }
        #expect(
            try await history.groups(GroupFilter(sort: .count)).map(\.signature) == [
                "SIGSEGV | C::c", "SIGSEGV | B::b", "SIGSEGV | A::a",
            ])
        #expect(try await history.groups(GroupFilter(sort: .firstSeen)).first?.signature == "SIGSEGV | A::a")
        #expect(try await history.groups(GroupFilter(text: "B::")).map(\.signature) == ["SIGSEGV | B::b"])
        #expect(try await history.groups(GroupFilter(state: .new)).map(\.signature) == ["SIGSEGV | A::a"])
    }

    @Test func decisionsAreKept() async throws {
        let history = try open()
        guard
            case .recorded(let id, _) = await history.record(
                Self.result(function: "F", build: "a"), reportPath: "1", time: 1)
        else { return }
        try await history.recordDecision(
            FixDecisionRecord(
                id: nil, groupID: id, time: 5, decision: .rejected, reason: "symptom only", patch: "--- a\n+++ b\n",
                commitHash: nil))
        #expect(try await history.decisions(groupID: id).map(\.reason) == ["symptom only"])
    }

    @Test func aDamagedFileIsReportedAndLeftAlone() throws {
        let path = "\(folder)/broken.sqlite"
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try garbage.write(to: URL(fileURLWithPath: path))
        do {
            _ = try CrashHistory(path: path)
            Issue.record("a damaged file must not open")
        } catch {
            #expect(error.kind == .corrupt)
            #expect(error.description.contains("left untouched"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage, "the file is never deleted or rewritten")
    }

    @Test func aLockedDatabaseKeepsTheCrashInMemoryUntilFree() async throws {
        let path = "\(folder)/history.sqlite"
        let history = try CrashHistory(path: path)
        // Another program holds an exclusive lock.
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: configuration)
        try other.inDatabase { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        let outcome = await history.record(Self.result(function: "F", build: "a"), reportPath: "1", time: 1)
        guard case .pending(let problem) = outcome else { Issue.record("got \(outcome)"); return }
        #expect(problem.kind == .locked)
        #expect(await history.pending.count == 1)
        try other.inDatabase { db in try db.execute(sql: "COMMIT") }
        #expect(await history.retryPending() == 0)
        #expect(try await history.counts().occurrences == 1)
    }

    @Test func aDatabaseLockedAtOpenIsWrittenOnceFree() async throws {
        let path = "\(folder)/locked-at-start.sqlite"
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let other = try DatabaseQueue(path: path, configuration: configuration)
        try other.inDatabase { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        #expect(throws: HistoryError.self, "a command that must write now still fails at once") {
            _ = try CrashHistory(path: path)
        }
        let history = try CrashHistory(path: path, waitIfLocked: true)
        #expect(history.lockedAtOpen?.kind == .locked)
        let outcome = await history.record(Self.result(function: "F", build: "a"), reportPath: "1", time: 1)
        guard case .pending = outcome else {
            Issue.record("got \(outcome)")
            return
        }
        #expect(await history.retryPending() == 1, "still locked: still waiting")
        try other.inDatabase { db in try db.execute(sql: "COMMIT") }
        #expect(await history.retryPending() == 0)
        #expect(await history.isSetUp)
        #expect(try await history.counts().occurrences == 1)
    }

    @Test func anOlderDatabaseIsMigratedWhenOpened() throws {
        let path = "\(folder)/old.sqlite"
        let queue = try DatabaseQueue(path: path)
        try HistorySchema.migrator.migrate(queue, upTo: "v1 groups and occurrences")
        #expect(try queue.read { try $0.tableExists("fixDecision") } == false)
        _ = try CrashHistory(path: path)
        // A new connection: the first one caches the schema it saw.
        #expect(try DatabaseQueue(path: path).read { try $0.tableExists("fixDecision") } == true)
    }

    @Test func twoWritersOnOneFileLoseNothing() async throws {
        let path = "\(folder)/shared.sqlite"
        let first = try CrashHistory(path: path)
        let second = try CrashHistory(path: path)
        async let a: Void = {
            for n in 0..<40 {
                _ = await first.record(
                    Self.result(function: "A", build: "x", salt: "a\(n)"), reportPath: "a\(n)", time: Int64(n))
            }
        }()
        async let b: Void = {
            for n in 0..<40 {
                _ = await second.record(
                    Self.result(function: "B", build: "x", salt: "b\(n)"), reportPath: "b\(n)", time: Int64(n))
            }
        }()
        _ = await (a, b)
        _ = await first.retryPending()
        _ = await second.retryPending()
        #expect(try await first.counts().occurrences == 80)
        #expect(try await second.groups(GroupFilter(sort: .count)).map(\.count) == [40, 40])
    }
}
