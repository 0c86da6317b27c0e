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
