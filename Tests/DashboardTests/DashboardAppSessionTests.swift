import AppCore
import CrashStore
import CrashwatchKit
import Dashboard
import FixEngine
import Foundation
import LogWatch
import TerminalUI
import TestSupport
import Testing

/// Whole dashboard sessions on an `InMemoryScreen`: the real app loop, log tails, crash inbox, history and effect
/// runner, driven by keys the way a user types them.
@MainActor
@Suite(.timeLimit(.minutes(2))) struct DashboardAppSessionTests {
    let scratch = TemporaryDirectory("cw-app-session")

    static let crash = """
        Program terminated with signal SIGSEGV, Segmentation fault.
        #0  0x0000556d48e636c6 in Unit::DealDamage (attacker=0x1, victim=0x2, damage=5) at /home/tc/src/server/game/Entities/Unit/Unit.cpp:16
        #1  0x0000556d49260b9e in World::ProcessDelayedDamages (this=0x3) at /home/tc/src/server/game/World/World.cpp:2410
        """

    /// A source tree under git, from the fix engine's fixture tree (shaped like TrinityCore's `src/server/game/…`).
    func makeSourceTree() throws -> String {
        let root = scratch.file("tree")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Repository.path("Tests/FixEngineTests/Fixtures/src"), toPath: "\(root)/src")
        for arguments in [
            ["init", "-q", "-b", "main"], ["add", "."],
            ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "tree"],
        ] {
            #expect(try ChildProcess.run(["git", "-C", root] + arguments).succeeded)
        }
        return root
    }

    func text(_ screen: InMemoryScreen) -> String { screen.lastFrame?.text ?? "" }

    @Test func followsALogFindsACrashAndAppliesAndRejectsItsFix() async throws {
        let log = scratch.file("Server.log")
        try "2025-10-31_11:14:30 INFO  [server.loading] alpha loaded\n".write(
            toFile: log, atomically: true, encoding: .utf8)
        let crashes = scratch.file("Crashes")
        try FileManager.default.createDirectory(atPath: crashes, withIntermediateDirectories: true)
        var setup = try CrashSetup.make(
            folders: [crashes], historyPath: scratch.file("history.sqlite"), ruleDirectories: [Repository.rules])
        let tree = try makeSourceTree()
        setup.sourceRoot = tree
        let (triage, _) = TriageRules.model(config: AppSettings(), directories: [Repository.rules])
        let app = DashboardApp(
            sources: [LogSourceSpec(title: "Server.log", path: log)], theme: .builtIn, triage: triage,
            crashSetup: setup)
        let screen = InMemoryScreen(size: Size(width: 120, height: 40))
        let session = Task { try await app.run(on: screen) }

        #expect(await waitUntil(timeout: .seconds(30)) { text(screen).contains("alpha loaded") })
        let handle = try #require(FileHandle(forWritingAtPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("2025-10-31_11:14:31 ERROR [server.worldserver] beta failed\n".utf8))
        try handle.close()
        #expect(
            await waitUntil(timeout: .seconds(30)) { text(screen).contains("beta failed") },
            "a line appended later is followed")

        try Self.crash.write(toFile: "\(crashes)/gdb-crash.txt", atomically: true, encoding: .utf8)
        screen.pendingKeys.append(.character("5"))
        #expect(
            await waitUntil(timeout: .seconds(30)) { text(screen).contains("Unit::DealDamage") },
            "the crash reaches the inbox")

        screen.pendingKeys.append(.character("F"))
        #expect(
            await waitUntil(timeout: .seconds(30)) { app.state.crashes.fixPreview?.candidates.isEmpty == false },
            "candidates proposed")
        let preview = try #require(app.state.crashes.fixPreview)
        let applicable = try #require(preview.candidates.firstIndex { $0.diff != nil })
        for _ in 0..<applicable { screen.pendingKeys.append(.tab) }
        screen.pendingKeys += [.character("A"), .character("y"), .enter]
        let applied = await waitUntil(timeout: .seconds(30)) {
            app.state.message?.text.hasPrefix("applied on branch") == true
        }
        #expect(applied, "\(app.state.message?.text ?? "no message"), mode \(app.state.mode)")
        let branch = try ChildProcess.run(["git", "-C", tree, "branch", "--show-current"]).outputText
        #expect(branch.hasPrefix("crashwatch/"), "the fix is committed on its own branch")
        let groupID = try #require(preview.groupID)
        let decisions = try await #require(setup.history).decisions(groupID: groupID)
        #expect(decisions.map(\.decision) == [.approved])

        screen.pendingKeys.append(.character("R"))
        for character in "not the cause" { screen.pendingKeys.append(.character(character)) }
        screen.pendingKeys.append(.enter)
        #expect(
            await waitUntil(timeout: .seconds(30)) {
                app.state.message?.text.hasPrefix("rejected: not the cause") == true
            })
        #expect(try await #require(setup.history).decisions(groupID: groupID).count == 2)

        screen.pendingKeys += [.escape, .character("q")]
        #expect(await waitUntil(timeout: .seconds(30)) { app.state.shouldQuit }, "q quits")
        // Whatever went wrong above, the session ends here rather than holding the test run.
        session.cancel()
        _ = await session.result
    }

    /// Two sessions of crashwatch over a `DBErrors.log` the server wrote anew in between: the second says what is new,
    /// gone and changed since the last start, from what the first kept in its state folder.
    @Test func theNextStartSaysWhatIsNewInAStartUpLog() async throws {
        let server = scratch.file("Server.log")
        let dbErrors = scratch.file("DBErrors.log")
        try "TrinityCore rev. 7d14957a32df+ 2025-10-31 11:14:33 +0100 (3.3.5 branch) (Unix, x86_64)\n".write(
            toFile: server, atomically: true, encoding: .utf8)
        try (RunChangesTests.runA.joined(separator: "\n") + "\n").write(
            toFile: dbErrors, atomically: true, encoding: .utf8)
        let store = RunStore(folder: scratch.file("state/runs"))
        let (triage, _) = TriageRules.model(config: AppSettings(), directories: [Repository.rules])
        let sources = [
            LogSourceSpec(title: "Server.log", path: server), LogSourceSpec(title: "DBErrors.log", path: dbErrors),
        ]
        func session(_ check: @MainActor (DashboardApp, InMemoryScreen) async -> Void) async {
            let app = DashboardApp(sources: sources, theme: .builtIn, triage: triage, runStore: store)
            let screen = InMemoryScreen(size: Size(width: 120, height: 40))
            let task = Task { try await app.run(on: screen) }
            await check(app, screen)
            screen.pendingKeys += [.escape, .character("q")]
            #expect(await waitUntil(timeout: .seconds(30)) { app.state.shouldQuit })
            // Whatever went wrong above, the session ends here rather than holding the test run.
            task.cancel()
            _ = await task.result
        }
        await session { app, screen in
            #expect(await waitUntil(timeout: .seconds(30)) { app.state.runs[1].current.lineCount == 4 })
            screen.pendingKeys += [.character("2"), .character("D")]
            #expect(await waitUntil(timeout: .seconds(30)) { text(screen).contains("no earlier run of DBErrors.log") })
        }
        #expect(store.load(forLog: dbErrors)?.last.lineCount == 4, "kept at the stop")

        // The server starts again while crashwatch is not running: DBErrors.log is written anew.
        try (RunChangesTests.runB.joined(separator: "\n") + "\n").write(
            toFile: dbErrors, atomically: true, encoding: .utf8)
        await session { app, screen in
            #expect(await waitUntil(timeout: .seconds(30)) { app.state.runs[1].current.lineCount == 5 })
            screen.pendingKeys += [.character("2"), .character("D")]
            #expect(await waitUntil(timeout: .seconds(30)) { text(screen).contains("1 new · 1 gone · 1 more") })
            #expect(text(screen).contains("the last run crashwatch followed, saved when it stopped"))
        }
    }
}
