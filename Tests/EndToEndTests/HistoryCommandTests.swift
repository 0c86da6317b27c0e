import CrashwatchKit
import Foundation
import GRDB
import TestSupport
import Testing

/// `crashwatch import` and `history` against databases that are not what they should be.
@Suite(.timeLimit(.minutes(2))) struct HistoryCommandTests {
    let scratch = TemporaryDirectory("cw-history-cmd")

    private func run(_ arguments: [String]) throws -> String {
        let binary = try DashboardEndToEndTests.binary()
        return try Tmux.spawn(
            "/bin/sh",
            [
                "sh", "-c",
                "cd '\(scratch.path)' && '\(binary)' " + arguments.map { "'\($0)'" }.joined(separator: " ")
                    + "; echo exit=$?",
            ])
    }

    private func crashFolder() throws -> String {
        let folder = scratch.file("Crashes")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Repository.sharedFixture("crashes/wheaty-assert.txt"), toPath: "\(folder)/wheaty-assert.txt")
        return folder
    }

    @Test func importIntoALockedDatabaseFailsAndSaysSo() throws {
        let folder = try crashFolder()
        let path = scratch.file("history.sqlite")
        _ = try run(["import", "--history", path, folder])
        // Another program holds the database for writing while crashwatch imports.
        let holder = try DatabaseQueue(path: path)
        try FileManager.default.copyItem(
            atPath: Repository.sharedFixture("crashes/wheaty-tc-map-update.txt"), toPath: "\(folder)/second.txt")
        let output = try holder.inDatabase { db -> String in
            try db.execute(sql: "BEGIN EXCLUSIVE")
            defer { try? db.execute(sql: "ROLLBACK") }
            return try run(["import", "--history", path, folder])
        }
        #expect(output.contains("is locked by another program"), "\(output)")
        #expect(!output.contains("imported 1"), "nothing was written, so nothing is said to be imported")
        #expect(!output.hasSuffix("exit=0\n"))
    }

    @Test func aTypoInTheHistoryPathCreatesNothing() throws {
        let folder = try crashFolder()
        let typo = scratch.file("no-such-folder/history.sqlite")
        let output = try run(["import", "--history", typo, folder])
        #expect(output.contains("does not exist (a typo in the path?)"), "\(output)")
        #expect(!output.hasSuffix("exit=0\n"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("no-such-folder")))
    }

    @Test func readingAForeignDatabaseChangesNothing() throws {
        let path = scratch.file("other.sqlite")
        let other = try DatabaseQueue(path: path)
        try other.write { db in try db.execute(sql: "CREATE TABLE notes (text TEXT)") }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let output = try run(["history", "list", "--history", path])
        #expect(output.contains("holds no crashwatch tables"), "\(output)")
        #expect(!output.hasSuffix("exit=0\n"))
        let tables = try other.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master") }
        #expect(tables == ["notes"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }
}

/// `loop --headless` stopped from outside leaves nothing it started running.
@Suite(.timeLimit(.minutes(2))) struct HeadlessLoopSignalTests {
    let scratch = TemporaryDirectory("cw-loop-signal")
    let tmux = Tmux()

    @Test(arguments: ["TERM", "INT", "HUP"])
    func aSignalStopsTheServerFirst(signal: String) async throws {
        defer { tmux.kill() }
        let serverPID = scratch.file("server.pid")
        try FileManager.default.createDirectory(atPath: scratch.file("Crashes"), withIntermediateDirectories: true)
        // A server that ignores TERM, behind the `sh -c` wrapper the loop runs it with.
        try """
        server = "sh -c 'trap \\"\\" TERM; echo $$ > \(serverPID); echo up; while true; do sleep 1; done'"
        source = "\(scratch.path)"
        crashes = "\(scratch.file("Crashes"))"
        history = "\(scratch.file("history.sqlite"))"
        build = "true"
        """.write(toFile: scratch.file("crashwatch.toml"), atomically: true, encoding: .utf8)
        let pidFile = scratch.file("crashwatch.pid")
        let binary = try DashboardEndToEndTests.binary()
        try tmux.start(
            "sh -c 'echo $$ > \"$0\"; exec \"$1\" loop --headless --retest 300 --config \"$2\"' '\(pidFile)' '\(binary)' '\(scratch.file("crashwatch.toml"))'; echo crashwatch-exit=$?; sleep 600"
        )
        try await tmux.waitFor("iteration 1: run server")
        #expect(await waitUntil { FileManager.default.fileExists(atPath: serverPID) })
        let server = try String(contentsOfFile: serverPID, encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let crashwatch = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines)
        _ = try Tmux.spawn("/bin/kill", ["kill", "-\(signal)", crashwatch])
        try await tmux.waitFor("crashwatch-exit=", timeout: .seconds(40))
        try await tmux.waitFor("loop: stopped by the user")
        #expect(ProcessState.isGone(server), "the TERM-ignoring server was stopped before crashwatch exited")
    }
}
