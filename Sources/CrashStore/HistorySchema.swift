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
        return migrator
    }
}
