public import CrashStore
import Foundation
import GRDB

/// What waits to be sent to the shared history, in a local SQLite file: every occurrence and fix decision goes through
/// it, so that a server that is down, a connection lost mid-write or crashwatch itself stopping loses nothing.
///
/// Entries are sent oldest first and removed only once the server has them; each carries a uid the server keeps, so
/// an entry sent again after a lost answer is taken once.
public struct HistoryOutbox: Sendable {
    public enum Entry: Codable, Sendable, Equatable {
        case occurrence(PreparedOccurrence)
        case decision(uid: String, FixDecisionRecord)

        public var uid: String {
            switch self {
            case .occurrence(let occurrence): occurrence.uid
            case .decision(let uid, _): uid
            }
        }
    }

    public let path: String
    private let database: DatabaseQueue

    /// Opens (or creates) the outbox at `path`.
    public init(path: String) throws(HistoryError) {
        self.path = path
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            database = try DatabaseQueue(path: path, configuration: configuration)
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1 outbox") { db in
                try db.create(table: "outbox") { t in
                    t.autoIncrementedPrimaryKey("seq")
                    t.column("uid", .text).notNull().unique()
                    t.column("reportPath", .text)
                    t.column("payload", .text).notNull()
                }
            }
            try migrator.migrate(database)
        } catch {
            throw HistoryError(kind: .cannotOpen, path: path, detail: "the history outbox cannot be opened: \(error)")
        }
    }

    /// Keeps `entry` until it is sent (an entry with the same uid is kept once).
    public func append(_ entry: Entry) throws(HistoryError) {
        let payload = String(decoding: (try? JSONEncoder().encode(entry)) ?? Data(), as: UTF8.self)
        var reportPath: String?
        if case .occurrence(let occurrence) = entry { reportPath = occurrence.reportPath }
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO outbox (uid, reportPath, payload) VALUES (?, ?, ?)",
                arguments: [entry.uid, reportPath, payload])
        }
    }

    /// The oldest entries, with their sequence numbers.
    public func oldest(limit: Int) throws(HistoryError) -> [(seq: Int64, entry: Entry)] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT seq, payload FROM outbox ORDER BY seq LIMIT ?", arguments: [limit])
        }
        let decoder = JSONDecoder()
        return rows.compactMap { row in
            let payload: String = row["payload"]
            guard let entry = try? decoder.decode(Entry.self, from: Data(payload.utf8)) else { return nil }
            return (seq: row["seq"], entry: entry)
        }
    }

    public func remove(seq: Int64) throws(HistoryError) {
        try write { db in try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [seq]) }
    }

    /// Drops the waiting occurrences read from `reportPath` (a file read again replaces its earlier read).
    public func removeOccurrences(reportPath: String) throws(HistoryError) -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM outbox WHERE reportPath = ?", arguments: [reportPath])
            return db.changesCount
        }
    }

    public func count() throws(HistoryError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? 0 }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do { return try database.write(body) } catch {
            throw HistoryError(kind: .other, path: path, detail: "the history outbox cannot be written: \(error)")
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(HistoryError) -> T {
        do { return try database.read(body) } catch {
            throw HistoryError(kind: .other, path: path, detail: "the history outbox cannot be read: \(error)")
        }
    }
}
