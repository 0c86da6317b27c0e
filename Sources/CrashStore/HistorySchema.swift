import Foundation
import GRDB

/// The history database's migrations.
///
/// Never edit a shipped migration: add a new one, so older databases are migrated in place when opened.
enum HistorySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 groups and occurrences") { db in
            try db.create(table: "crashGroup") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("groupKey", .text).notNull().unique()
                t.column("signature", .text).notNull()
                t.column("algorithmVersion", .integer).notNull()
                t.column("title", .text).notNull()
                t.column("faultKind", .text).notNull()
                t.column("severity", .text).notNull()
                t.column("patternID", .text)
                t.column("isBotRelated", .boolean).notNull()
                t.column("firstSeen", .integer).notNull()
                t.column("lastSeen", .integer).notNull().indexed()
                t.column("count", .integer).notNull().indexed()
                t.column("buildsSeen", .text).notNull()
                t.column("state", .text).notNull().indexed()
                t.column("resolvedInBuild", .text)
                t.column("buildsBeforeResolve", .text).notNull()
            }
            try db.create(table: "occurrence") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("groupID", .integer).notNull().references("crashGroup", onDelete: .cascade)
                t.column("time", .integer).notNull()
                t.column("reportPath", .text).notNull()
                t.column("contentHash", .text).notNull().unique()
                t.column("build", .text)
                t.column("exception", .text).notNull()
                t.column("format", .text).notNull()
                t.column("frames", .text).notNull()
                t.column("diagnosis", .text).notNull()
                t.column("logLines", .text)
                t.column("rawText", .text).notNull()
            }
            try db.create(index: "occurrenceByGroupTime", on: "occurrence", columns: ["groupID", "time"])
        }
        migrator.registerMigration("v2 fix decisions") { db in
            try db.create(table: "fixDecision") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("groupID", .integer).notNull().references("crashGroup", onDelete: .cascade)
                t.column("time", .integer).notNull()
                t.column("decision", .text).notNull()
                t.column("reason", .text)
                t.column("patch", .text).notNull()
                t.column("commitHash", .text)
            }
        }
        migrator.registerMigration("v3 identical reports are occurrences") { db in
            // The same text in a new file is the same crash again (asserts and non-PIE gdb output carry no time), so
            // the content hash is no longer unique; the file's identity tells a re-read of the same file apart.
            try db.create(table: "occurrence_v3") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("groupID", .integer).notNull().references("crashGroup", onDelete: .cascade)
                t.column("time", .integer).notNull()
                t.column("reportPath", .text).notNull()
                t.column("contentHash", .text).notNull().indexed()
                t.column("fileIdentity", .text)
                t.column("identicalTo", .integer)
                t.column("build", .text)
                t.column("exception", .text).notNull()
                t.column("format", .text).notNull()
                t.column("frames", .text).notNull()
                t.column("diagnosis", .text).notNull()
                t.column("logLines", .text)
                t.column("rawText", .text).notNull()
            }
            try db.execute(
                sql: """
                    INSERT INTO occurrence_v3 (id, groupID, time, reportPath, contentHash, build, exception, format, frames,
                        diagnosis, logLines, rawText)
                    SELECT id, groupID, time, reportPath, contentHash, build, exception, format, frames, diagnosis, logLines,
                        rawText FROM occurrence
                    """)
            try db.drop(table: "occurrence")
            try db.rename(table: "occurrence_v3", to: "occurrence")
            try db.create(index: "occurrenceByGroupTime", on: "occurrence", columns: ["groupID", "time"])
        }
        migrator.registerMigration("v4 top frames for similar groups") { db in
            try db.alter(table: "crashGroup") { t in
                t.add(column: "topFrames", .text).notNull().defaults(to: "[]")
            }
        }
        migrator.registerMigration("v5 hosts and realms") { db in
            try db.alter(table: "occurrence") { t in
                t.add(column: "host", .text).notNull().defaults(to: "")
                t.add(column: "realm", .text)
            }
            try db.create(index: "occurrenceByGroupHost", on: "occurrence", columns: ["groupID", "host"])
        }
        migrator.registerMigration("v6 where each host saw each group") { db in
            // Kept with every write, in its transaction, so that the history pane need not count occurrences.
            try db.execute(
                sql: """
                    CREATE TABLE groupHost (
                        groupID INTEGER NOT NULL REFERENCES crashGroup(id) ON DELETE CASCADE,
                        host TEXT NOT NULL, realm TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL,
                        firstSeen INTEGER NOT NULL, lastSeen INTEGER NOT NULL, builds TEXT NOT NULL DEFAULT '[]',
                        PRIMARY KEY (groupID, host, realm))
                    """)
            try HistorySchema.rebuildGroupHosts(db, groupIDs: nil)
        }
        return migrator
    }

    /// Counts `groupHost` anew from the occurrences: of these groups, or of all.
    static func rebuildGroupHosts(_ db: Database, groupIDs: [Int64]?) throws {
        let only = groupIDs.map { " WHERE groupID IN (\($0.map(String.init).joined(separator: ",")))" } ?? ""
        try db.execute(sql: "DELETE FROM groupHost" + only)
        try db.execute(
            sql: """
                INSERT INTO groupHost (groupID, host, realm, count, firstSeen, lastSeen, builds)
                SELECT groupID, host, COALESCE(realm, ''), COUNT(*), MIN(time), MAX(time),
                    COALESCE((SELECT json_group_array(b) FROM (SELECT DISTINCT o2.build AS b FROM occurrence o2
                        WHERE o2.groupID = o.groupID AND o2.host = o.host AND COALESCE(o2.realm, '') = COALESCE(o.realm, '')
                        AND o2.build IS NOT NULL ORDER BY o2.id)), '[]')
                FROM occurrence o\(only.replacingOccurrences(of: "groupID", with: "o.groupID"))
                GROUP BY groupID, host, COALESCE(realm, '')
                """)
    }

    /// Counts one new occurrence in its host's row.
    static func countInGroupHost(_ occurrence: OccurrenceRecord, _ db: Database) throws {
        let realm = occurrence.realm ?? ""
        let row = try Row.fetchOne(
            db, sql: "SELECT builds FROM groupHost WHERE groupID = ? AND host = ? AND realm = ?",
            arguments: [occurrence.groupID, occurrence.host, realm])
        var builds: [String] = []
        if let text: String = row?["builds"] {
            builds = (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
        }
        if let build = occurrence.build, !builds.contains(build) { builds.append(build) }
        let buildsText = String(decoding: (try? JSONEncoder().encode(builds)) ?? Data("[]".utf8), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO groupHost (groupID, host, realm, count, firstSeen, lastSeen, builds) VALUES (?, ?, ?, 1, ?, ?, ?)
                ON CONFLICT (groupID, host, realm) DO UPDATE SET count = count + 1,
                    firstSeen = MIN(firstSeen, excluded.firstSeen), lastSeen = MAX(lastSeen, excluded.lastSeen),
                    builds = excluded.builds
                """,
            arguments: [occurrence.groupID, occurrence.host, realm, occurrence.time, occurrence.time, buildsText])
    }
}
