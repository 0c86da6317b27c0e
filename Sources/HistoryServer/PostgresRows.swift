import CrashStore
import PostgresNIO

/// Rows of the shared history read into the records the rest of crashwatch uses.
enum PostgresRows {
    static func group(_ row: PostgresRow) throws -> CrashGroupRecord {
        let cells = row.makeRandomAccess()
        return CrashGroupRecord(
            id: try cells["id"].decode(Int64.self), groupKey: try cells["group_key"].decode(String.self),
            signature: try cells["signature"].decode(String.self),
            algorithmVersion: Int(try cells["algorithm_version"].decode(Int32.self)),
            title: try cells["title"].decode(String.self), faultKind: try cells["fault_kind"].decode(String.self),
            severity: try cells["severity"].decode(String.self),
            patternID: try cells["pattern_id"].decode(String?.self),
            isBotRelated: try cells["is_bot_related"].decode(Bool.self),
            firstSeen: try cells["first_seen"].decode(Int64.self), lastSeen: try cells["last_seen"].decode(Int64.self),
            count: Int(try cells["occurrence_count"].decode(Int32.self)),
            buildsSeen: try cells["builds_seen"].decode([String].self),
            state: GroupState(rawValue: try cells["state"].decode(String.self)) ?? .ongoing,
            resolvedInBuild: try cells["resolved_in_build"].decode(String?.self),
            buildsBeforeResolve: try cells["builds_before_resolve"].decode([String].self),
            topFrames: try cells["top_frames"].decode([String].self))
    }

    static func occurrence(_ row: PostgresRow) throws -> OccurrenceRecord {
        let cells = row.makeRandomAccess()
        return OccurrenceRecord(
            id: try cells["id"].decode(Int64.self), groupID: try cells["group_id"].decode(Int64.self),
            time: try cells["crashed_at"].decode(Int64.self), reportPath: try cells["report_path"].decode(String.self),
            contentHash: try cells["content_hash"].decode(String.self),
            fileIdentity: try cells["file_identity"].decode(String?.self),
            identicalTo: try cells["identical_to"].decode(Int64?.self), build: try cells["build"].decode(String?.self),
            exception: try cells["exception"].decode(String.self), format: try cells["format"].decode(String.self),
            frames: try cells["frames"].decode([String].self), diagnosis: try cells["diagnosis"].decode(String.self),
            logLines: try cells["log_lines"].decode(String?.self), rawText: try cells["raw_text"].decode(String.self),
            host: try cells["host"].decode(String.self), realm: try cells["realm"].decode(String?.self))
    }

    static func decision(_ row: PostgresRow) throws -> FixDecisionRecord {
        let cells = row.makeRandomAccess()
        return FixDecisionRecord(
            id: try cells["id"].decode(Int64.self), groupID: try cells["group_id"].decode(Int64.self),
            time: try cells["decided_at"].decode(Int64.self),
            decision: FixDecisionRecord.Decision(rawValue: try cells["decision"].decode(String.self)) ?? .rejected,
            reason: try cells["reason"].decode(String?.self), patch: try cells["patch"].decode(String.self),
            commitHash: try cells["commit_hash"].decode(String?.self))
    }
}
