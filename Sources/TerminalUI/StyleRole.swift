/// What a cell shows, named by meaning; a `Theme` decides how each role looks.
///
/// The raw values are the keys of a theme file's `[styles]` table.
public enum StyleRole: String, Sendable, CaseIterable, Hashable {
    case text
    case dim
    case trace
    case debug
    case info
    case warn
    case error
    case fatal
    case paneTitle = "pane-title"
    case paneTitleFocused = "pane-title-focused"
    case statusBar = "status-bar"
    case statusKey = "status-key"
    case prompt
    case searchMatch = "search-match"
    case cursorLine = "cursor-line"
    case overlay
    case overlayTitle = "overlay-title"
    case notice
    case diffAdded = "diff-added"
    case diffRemoved = "diff-removed"
    case diffHeader = "diff-header"
}
