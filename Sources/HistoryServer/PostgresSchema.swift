/// The shared history's migrations, applied in order on open under an advisory lock, so that two hosts opening a new
/// database at once migrate it once.
///
/// Never edit a shipped migration: add a new one.
enum PostgresSchema {
    /// The advisory lock every migrating host takes (an arbitrary number, crashwatch's own).
    static let migrationLock: Int64 = 0x6372_6173_6877_6174

    static let migrations: [(name: String, sql: [String])] = [
        (
            "v1 groups, occurrences, decisions",
            [
                """
                CREATE TABLE crash_group (
                    id bigserial PRIMARY KEY,
                    group_key text NOT NULL UNIQUE,
                    signature text NOT NULL,
                    algorithm_version integer NOT NULL,
                    title text NOT NULL,
                    fault_kind text NOT NULL,
                    severity text NOT NULL,
                    pattern_id text,
                    is_bot_related boolean NOT NULL,
                    first_seen bigint NOT NULL,
                    last_seen bigint NOT NULL,
                    occurrence_count integer NOT NULL,
                    builds_seen text[] NOT NULL,
                    state text NOT NULL,
                    resolved_in_build text,
                    builds_before_resolve text[] NOT NULL,
                    top_frames text[] NOT NULL DEFAULT '{}'
                )
                """,
                "CREATE INDEX crash_group_last_seen ON crash_group (last_seen)",
                "CREATE INDEX crash_group_count ON crash_group (occurrence_count)",
                "CREATE INDEX crash_group_first_seen ON crash_group (first_seen)",
                "CREATE INDEX crash_group_state ON crash_group (state)",
                """
                CREATE TABLE occurrence (
                    id bigserial PRIMARY KEY,
                    uid text NOT NULL UNIQUE,
                    group_id bigint NOT NULL REFERENCES crash_group ON DELETE CASCADE,
                    crashed_at bigint NOT NULL,
                    host text NOT NULL,
                    realm text,
                    report_path text NOT NULL,
                    content_hash text NOT NULL,
                    file_identity text,
                    identical_to bigint,
                    build text,
                    exception text NOT NULL,
                    format text NOT NULL,
                    frames text[] NOT NULL,
                    diagnosis text NOT NULL,
                    log_lines text,
                    raw_text text NOT NULL
                )
                """,
                "CREATE INDEX occurrence_group_time ON occurrence (group_id, crashed_at)",
                "CREATE INDEX occurrence_group_host ON occurrence (group_id, host, realm)",
                "CREATE INDEX occurrence_content ON occurrence (content_hash)",
                "CREATE INDEX occurrence_path ON occurrence (report_path, host)",
                """
                CREATE TABLE fix_decision (
                    id bigserial PRIMARY KEY,
                    uid text NOT NULL UNIQUE,
                    group_id bigint NOT NULL REFERENCES crash_group ON DELETE CASCADE,
                    decided_at bigint NOT NULL,
                    decision text NOT NULL,
                    reason text,
                    patch text NOT NULL,
                    commit_hash text
                )
                """,
                "CREATE INDEX fix_decision_group ON fix_decision (group_id, decided_at)",
            ]
        ),
        (
            "v2 where each host saw each group",
            // Kept with every write, in its transaction, so that the history pane need not count occurrences.
            [
                """
                CREATE TABLE group_host (
                    group_id bigint NOT NULL REFERENCES crash_group ON DELETE CASCADE,
                    host text NOT NULL,
                    realm text NOT NULL DEFAULT '',
                    occurrence_count integer NOT NULL,
                    first_seen bigint NOT NULL,
                    last_seen bigint NOT NULL,
                    builds text[] NOT NULL DEFAULT '{}',
                    PRIMARY KEY (group_id, host, realm)
                )
                """,
                rebuildGroupHosts(where: "TRUE"),
            ]
        ),
    ]

    /// Counts `group_host` anew from the occurrences matching `condition` (on `occurrence o`).
    static func rebuildGroupHosts(where condition: String) -> String {
        """
        INSERT INTO group_host (group_id, host, realm, occurrence_count, first_seen, last_seen, builds)
        SELECT o.group_id, o.host, COALESCE(o.realm, ''), COUNT(*), MIN(o.crashed_at), MAX(o.crashed_at),
            ARRAY_REMOVE(ARRAY_AGG(DISTINCT o.build), NULL)
        FROM occurrence o WHERE \(condition) GROUP BY o.group_id, o.host, COALESCE(o.realm, '')
        """
    }

    /// The columns of a group row, in the order `PostgresRows.group` reads them.
    static let groupColumns = """
        id, group_key, signature, algorithm_version, title, fault_kind, severity, pattern_id, is_bot_related,
        first_seen, last_seen, occurrence_count, builds_seen, state, resolved_in_build, builds_before_resolve, top_frames
        """

    static let occurrenceColumns = """
        id, group_id, crashed_at, report_path, content_hash, file_identity, identical_to, build, exception, format,
        frames, diagnosis, log_lines, raw_text, host, realm
        """

    /// The channel on which every write says which group it changed (`host id`).
    static let channel = "crashwatch_history"
}
