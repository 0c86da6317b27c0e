import CrashwatchKit
import Foundation
import TestSupport
import Testing

/// The shared history as operators use it from the command line, on a real PostgreSQL server: two writer processes
/// with different host names at once, `history --host`, `history push` twice, a wrong password.
@Suite(
    .serialized, .enabled(if: PostgresTestServer.isAvailable, PostgresTestServer.skipReason), .timeLimit(.minutes(5)))
struct SharedHistoryCommandTests {
    let scratch = TemporaryDirectory("cw-shared-cmd")

    private func crashwatch(_ arguments: [String], environment: [String: String] = [:]) throws
        -> ChildProcess.Completed
    {
        let binary = try DashboardEndToEndTests.binary()
        let variables =
            ["XDG_STATE_HOME=\(scratch.file("state"))", "HOME=\(scratch.path)"]
            + environment.map { "\($0.key)=\($0.value)" }
        return try ChildProcess.run(["env"] + variables + [binary] + arguments, timeout: .seconds(240))
    }

    @Test func twoWriterProcessesWithDifferentHostNamesAddUpExactly() throws {
        let database = try PostgresTestServer.freshDatabase()
        let binary = try DashboardEndToEndTests.binary()
        // Both at once, into the same groups: each occurrence is counted once, and each under its own host.
        let writers = try ["writer-a", "writer-b"].map { host -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = [
                "bench", "history-writer", "--postgres", database, "--host", host, "--count", "300", "--groups", "20",
            ]
            process.environment = ["XDG_STATE_HOME": scratch.file("state-\(host)"), "HOME": scratch.path]
            try process.run()
            return process
        }
        for writer in writers { writer.waitUntilExit() }
        #expect(writers.map(\.terminationStatus) == [0, 0])
        let listed = try crashwatch(["history", "--history", database, "--json"])
        #expect(listed.succeeded, "\(listed.errorText)")
        let groups = try #require(
            try JSONSerialization.jsonObject(with: listed.output) as? [[String: Any]], "a JSON array")
        #expect(groups.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 600)
        let hosts = groups.flatMap { $0["hosts"] as? [[String: Any]] ?? [] }
        let perHost = Dictionary(grouping: hosts) { $0["host"] as? String ?? "?" }.mapValues {
            $0.reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
        }
        #expect(perHost == ["writer-a": 300, "writer-b": 300])
        let none = try crashwatch(["history", "--history", database, "--host", "nobody"])
        #expect(none.succeeded && !none.outputText.contains("SIGSEGV"), "\(none.outputText)")
    }

    @Test func pushingALocalHistoryTwiceAddsNothingTheSecondTime() throws {
        let database = try PostgresTestServer.freshDatabase()
        let local = scratch.file("local.sqlite")
        let folder = scratch.file("Crashes")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["wheaty-assert.txt", "wheaty-tc-map-update.txt"] {
            try FileManager.default.copyItem(
                atPath: Repository.sharedFixture("crashes/\(name)"), toPath: "\(folder)/\(name)")
        }
        let imported = try crashwatch(["import", "--history", local, folder])
        #expect(imported.succeeded, "\(imported.outputText)\(imported.errorText)")
        let first = try crashwatch(["history", "push", "--history", database, "--from", local])
        #expect(
            first.outputText.contains("2 occurrence(s) sent, 0 already there"), "\(first.outputText)\(first.errorText)")
        #expect(!first.outputText.contains(":crashwatch@"), "the password is never printed")
        let second = try crashwatch(["history", "push", "--history", database, "--from", local])
        #expect(second.outputText.contains("0 occurrence(s) sent, 2 already there"), "\(second.outputText)")
        let shown = try crashwatch(["history", "--history", database, "--json"])
        let groups = try #require(try JSONSerialization.jsonObject(with: shown.output) as? [[String: Any]])
        #expect(groups.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == 2)
    }

    @Test func aWrongPasswordIsSaidWithoutThePassword() throws {
        let database = try PostgresTestServer.freshDatabase()
        let wrong = database.replacingOccurrences(of: ":crashwatch@", with: ":hunter2@")
        let listed = try crashwatch(["history", "--history", wrong])
        #expect(!listed.succeeded)
        #expect(listed.errorText.contains("wrong password for user crashwatch"), "\(listed.errorText)")
        #expect(!listed.errorText.contains("hunter2") && !listed.outputText.contains("hunter2"))
    }
}
