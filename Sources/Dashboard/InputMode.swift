/// What keys currently go to.
public enum InputMode: Sendable, Equatable {
    case normal
    case prompt(Prompt)
    case help
    /// The latest occurrences of a warning template (Enter on the warnings pane).
    case occurrences(String)
    /// The detail view of a crash (Enter on the inbox or history).
    case crashDetail(CrashDetail)
    /// The fix preview of a crash (F in the inbox, history or detail view).
    case fixPreview
    /// The supervised loop's iterations (L).
    case loopView
    /// One log line whole (Enter on a log pane): its text wrapped, level, time, logger, file and number.
    case lineView(pane: Int, number: Int, inFile: Bool)
    /// What changed in a log since the server's last start (`D`): its templates new, gone or changed in count; `row`
    /// is the selected one.
    case runChanges(pane: Int, row: Int)
}

/// Which crash the detail view shows.
public struct CrashDetail: Sendable, Equatable {
    /// The inbox item, when opened from the inbox.
    public var inboxItemID: Int?
    public var groupID: Int64?
    public var scroll = 0
    /// The report's own text instead of the analysis (`v`).
    public var showsRawText = false
    /// The `/` pattern searched in the view, highlighted; `n`/`N` go on.
    public var search: String?
}
