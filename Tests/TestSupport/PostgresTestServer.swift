import CrashwatchKit
import Foundation
public import Testing

/// A real PostgreSQL server for tests of the shared history.
///
/// In CI, `.ci/run` starts a cluster and names it in `CRASHWATCH_TEST_POSTGRES`; elsewhere the first test that needs
/// one starts a cluster of its own with `Scripts/postgres-cluster.sh` (stopped when the test process exits). Each
/// test gets a database of its own. Without PostgreSQL installed, tests skip with the reason — except in CI, where
/// they run and fail.
public enum PostgresTestServer {
    /// Whether the tests that need a server run: one can be had, or this is CI (where a missing server must fail).
    public static var isAvailable: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true" || serverURL != nil
    }

    public static let skipReason: Comment =
        "no PostgreSQL server could be started (apt-get install postgresql; or set CRASHWATCH_TEST_POSTGRES)"

    /// The server's URL (its maintenance database), or nil when none can be started.
    public static let serverURL: String? = {
        if let given = ProcessInfo.processInfo.environment["CRASHWATCH_TEST_POSTGRES"], !given.isEmpty {
            return given
        }
        let folder = "\(NSTemporaryDirectory())crashwatch-test-pg-\(getpid())"
        guard let cluster = try? PostgresCluster.start(folder: folder) else { return nil }
        cluster.stopWhenThisProcessEnds()
        return cluster.url
    }()

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String { "\(PostgresTestServer.skipReason)" }
    }

    /// A new, empty database on the server; its URL.
    public static func freshDatabase() throws -> String {
        guard let serverURL else { throw Unavailable() }
        return try PostgresCluster.createDatabase(on: serverURL)
    }
}

/// A PostgreSQL cluster in a folder of its own (`Scripts/postgres-cluster.sh`), which a test may stop and start.
public struct PostgresCluster: Sendable {
    public let folder: String
    public let url: String

    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    static var script: String { Repository.path("Scripts/postgres-cluster.sh") }

    /// Starts a cluster in `folder` (made by initdb the first time), on `port` or a free one.
    /// - Parameter ssl: TLS on, with a self-signed certificate.
    public static func start(folder: String, port: Int? = nil, ssl: Bool = false) throws -> PostgresCluster {
        let completed = try ChildProcess.run(
            ["env", "CLUSTER_SSL=\(ssl ? 1 : 0)", script, "start", folder] + (port.map { [String($0)] } ?? []),
            timeout: .seconds(120))
        guard completed.succeeded else {
            throw Failed(description: "postgres-cluster.sh start: \(completed.errorText)")
        }
        return PostgresCluster(
            folder: folder, url: completed.outputText.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// A cluster of its own for one test, in a new temporary folder.
    public static func startPrivate(ssl: Bool = false) throws -> PostgresCluster {
        let folder = "\(NSTemporaryDirectory())crashwatch-pg-\(UUID().uuidString.prefix(8))"
        let cluster = try start(folder: folder, ssl: ssl)
        cluster.stopWhenThisProcessEnds()
        return cluster
    }

    /// Swift Testing has no end-of-run hook, and a test process may leave without running atexit handlers (or
    /// crash): a watcher outside it stops the cluster and removes its folder once this process has gone.
    public func stopWhenThisProcessEnds() {
        // Foundation's Process, not ChildProcess: that one stops whatever its child leaves in its group.
        let watcher = Process()
        watcher.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        watcher.arguments = [Self.script, "stop-after", String(getpid()), folder]
        watcher.standardInput = FileHandle.nullDevice
        watcher.standardOutput = FileHandle.nullDevice
        watcher.standardError = FileHandle.nullDevice
        try? watcher.run()
    }

    public var port: Int { Int(url.split(separator: ":").last?.split(separator: "/").first ?? "") ?? 0 }

    public func stop() {
        _ = try? ChildProcess.run([Self.script, "stop", folder], timeout: .seconds(60))
    }

    /// Starts it again on the same port after `stop()`.
    public func restart() throws {
        _ = try Self.start(folder: folder, port: port)
    }

    /// Stops it and removes its folder.
    public func remove() {
        stop()
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// Creates a database with a new name on the server at `url`; returns its URL.
    public static func createDatabase(on url: String) throws -> String {
        let name = "cw_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        let completed = try ChildProcess.run(
            ["psql", url, "-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE \(name)"], timeout: .seconds(60))
        guard completed.succeeded else { throw Failed(description: "CREATE DATABASE: \(completed.errorText)") }
        guard let slash = url.lastIndex(of: "/") else { throw Failed(description: "no database in \(url)") }
        return String(url[..<slash]) + "/" + name
    }

    public func createDatabase() throws -> String { try Self.createDatabase(on: url) }
}
