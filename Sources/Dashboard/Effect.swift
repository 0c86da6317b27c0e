/// Work the dashboard state asks of the app — history queries and changes, fixes, the loop's answer, reading a log back
/// from its file.
///
/// The state does no I/O; `DashboardState.effects` is its only outbox, drained by `DashboardApp` and carried out by
/// AppCore's `EffectRunner`.
public enum Effect: Sendable, Equatable {
    /// Reload the crash history list with the current sort and filters.
    case refresh
    /// The user opened this inbox item: kept, so it stays read after a restart.
    case markRead(inboxItemID: Int)
    case resolve(groupID: Int64, build: String)
    case ignore(groupID: Int64)
    case reopen(groupID: Int64)
    case loadDetail(groupID: Int64)
    /// Propose fixes for the crash of an inbox item or the latest occurrence of a group.
    case proposeFixes(inboxItemID: Int?, groupID: Int64?)
    /// Apply candidate `index` of the fix preview (the user confirmed); `stashFirst` after choosing "stash".
    case applyFix(index: Int, stashFirst: Bool)
    case rejectFix(index: Int, reason: String)
    /// `:stash-pop`: put back the changes stashed before a fix was applied.
    case popStash
    /// Open candidate `index`'s patch in the user's editor; the edited patch is checked and compiled again.
    case editFix(index: Int)
    /// Revert the fix the supervised loop applied (after a failed build).
    case revertLoopFix
    /// Revert a crash group's applied fix in the source tree (`U` in its detail view, confirmed).
    case revertFix(groupKey: String)
    /// The user's answer to the fix the loop asked about.
    case answerLoop(LoopDecision)
    /// Read `count` file lines from line `top` of log pane `pane` back through its index.
    case loadArchive(pane: Int, top: Int, count: Int)
    /// Search a log's whole file through its index; the answer comes back through `fileSearchFinished`.
    case searchFile(FileSearchRequest)
    /// Stop the file search under way (Esc).
    case cancelFileSearch
    /// Keep log pane `pane`'s runs (`DashboardState.runs`) for the next start of crashwatch: a run ended.
    case saveRuns(pane: Int)

    public enum LoopDecision: Sendable, Equatable {
        case approve(index: Int)
        case reject(reason: String)
    }
}
