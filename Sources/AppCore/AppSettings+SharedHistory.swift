public import CrashStore
public import CrashwatchKit
import Foundation
public import HistoryServer

extension AppSettings {
    /// The server's conf: `worldserver-conf`, else one found beside `server-binary` or `server-dir`.
    /// - Throws: when a configured conf cannot be read (a found one that cannot be read is skipped).
    public func worldServerConfig() throws(RuleFileError) -> WorldServerConfig? {
        if let worldserverConf {
            guard let config = WorldServerConfig.load(worldserverConf) else {
                throw RuleFileError(
                    file: file, key: "worldserver-conf",
                    problem: "\(worldserverConf) cannot be read (missing or not permitted)")
            }
            return config
        }
        for candidate in WorldServerConfig.candidates(serverBinary: serverBinary, serverDirectory: serverDirectory) {
            if let config = WorldServerConfig.load(candidate) { return config }
        }
        return nil
    }

    /// Which host and realm this crashwatch records for: `host-name` and `realm`, else the system's host name and
    /// the conf's `RealmID`.
    public func historyOrigin() throws(RuleFileError) -> HistoryOrigin {
        let conf = try worldServerConfig()
        let realm = realm ?? conf?.realmID
        return HistoryOrigin(host: hostName ?? ProcessInfo.processInfo.hostName, realm: realm)
    }

    /// Where occurrences wait while a shared history cannot be reached: `$XDG_STATE_HOME/crashwatch/outbox.sqlite`.
    public static func outboxPath(environment: [String: String]) -> String {
        let stateHome = AppSettings.stateHome(environment: environment)
        return "\(stateHome)/crashwatch/outbox.sqlite"
    }
}

/// Opens the history a `history` setting names: a PostgreSQL URL, or an SQLite file.
public enum HistoryLocation {
    /// Whether `location` names a shared PostgreSQL history.
    public static func isShared(_ location: String) -> Bool { PostgresURL.isPostgres(location) }

    /// The store at `location`.
    ///
    /// A PostgreSQL store is not connected yet (the caller says when: `connect(_:)`).
    /// - Parameters:
    ///   - mode: for SQLite: read-write (creating the folder only for crashwatch's own default) or read-only.
    ///   - waitIfLocked: for SQLite: a database locked at open is opened anyway and written once free.
    public static func open(
        _ location: String, origin: HistoryOrigin, environment: [String: String],
        mode: CrashHistory.OpenMode = .readWrite(createFolder: true), waitIfLocked: Bool = false
    ) throws(HistoryError) -> any HistoryStore {
        guard isShared(location) else {
            return try CrashHistory(path: location, mode: mode, waitIfLocked: waitIfLocked, origin: origin)
        }
        let url = try PostgresURL(location, environment: environment)
        return try PostgresHistory(
            url: url, origin: origin, outboxPath: AppSettings.outboxPath(environment: environment))
    }

    /// Connects a shared history now (migrating it, sending what waits); an SQLite one needs nothing.
    public static func connect(_ store: any HistoryStore) async throws(HistoryError) {
        if let shared = store as? PostgresHistory { try await shared.connect() }
    }

    /// Copies a local SQLite history into `store` (a shared one), once: running it twice adds nothing.
    public static func push(_ local: CrashHistory, into store: any HistoryStore) async throws(HistoryError)
        -> HistoryPush.Summary
    {
        guard let shared = store as? PostgresHistory else {
            throw HistoryError(
                kind: .cannotOpen, path: store.location,
                detail: "push copies into a PostgreSQL history (postgresql://…)")
        }
        return try await HistoryPush.run(from: local, into: shared)
    }
}
