import TerminalUI

/// A key of the log panes and what it does. `DashboardState.handle(_:)` looks keys up here and `?` lists this table,
/// so the help can never drift from the behaviour.
public struct KeyBinding: Sendable {
    public enum Action: Sendable, CaseIterable {
        case lineDown, lineUp, pageDown, pageUp, top, bottom, togglePause, search, nextMatch, previousMatch, filter
        case nextError, previousError, nextWarning, previousWarning, nextPane, focusFirst, focusSecond, focusErrors
        case focusWarnings, focusInbox, focusHistory, help, showLoop, quit
    }

    /// What keys do in the crash inbox and history panes.
    /// (Movement is shared with the errors and warnings panes through `listStep`.)
    public enum CrashAction: Sendable, CaseIterable {
        case down, up, pageDown, pageUp, top, bottom, open, cycleSort, cycleState, filterText, resolve, ignore, reopen
        case proposeFix
    }

    public static let crashPane: [(label: String, keys: [Key], action: CrashAction, summary: String)] = [
        ("j ↓", [.character("j"), .down], .down, "next row"),
        ("k ↑", [.character("k"), .up], .up, "previous row"),
        ("Space PgDn", [.character(" "), .pageDown], .pageDown, "page down"),
        ("b PgUp", [.character("b"), .pageUp], .pageUp, "page up"),
        ("g Home", [.character("g"), .home], .top, "first row"),
        ("G End", [.character("G"), .end], .bottom, "last row"),
        ("Enter", [.enter], .open, "detail: exception, frames, diagnosis, log lines, occurrences"),
        ("s", [.character("s")], .cycleSort, "history: sort by last seen / count / first seen"),
        ("t", [.character("t")], .cycleState, "history: show all / new / ongoing / regressed / resolved / ignored"),
        ("/", [.character("/")], .filterText, "history: filter by text"),
        ("r", [.character("r")], .resolve, "resolve the group in a build"),
        ("i", [.character("i")], .ignore, "ignore the group"),
        ("o", [.character("o")], .reopen, "reopen the group"),
        ("F", [.character("F")], .proposeFix, "fix preview: proposed patches with their evidence"),
    ]

    /// Keys of the fix preview.
    public static let fixPreviewHelp: [(label: String, summary: String)] = [
        ("Tab n / p", "next / previous candidate"),
        ("j k PgUp PgDn", "scroll the diff"),
        ("A", "approve: confirm, then git apply --check, branch, apply, commit"),
        ("R", "reject with a reason (recorded in the history)"),
        ("Esc", "close"),
    ]

    static let crashByKey = lookup(crashPane.map { ($0.keys, $0.action) })

    /// What keys do in the errors and warnings panes (the pane-switching keys above work there too).
    public enum TriageAction: Sendable, CaseIterable {
        case down, up, pageDown, pageUp, top, bottom, open
    }

    public var keys: [Key]
    public var label: String
    public var action: Action
    public var summary: String

    private init(_ label: String, _ keys: [Key], _ action: Action, _ summary: String) {
        self.label = label
        self.keys = keys
        self.action = action
        self.summary = summary
    }

    public static let logPane: [KeyBinding] = [
        KeyBinding("j ↓", [.character("j"), .down], .lineDown, "scroll down a line"),
        KeyBinding("k ↑", [.character("k"), .up], .lineUp, "scroll up a line (stops following)"),
        KeyBinding("Space PgDn", [.character(" "), .pageDown, .control("f")], .pageDown, "page down"),
        KeyBinding("b PgUp", [.character("b"), .pageUp, .control("b")], .pageUp, "page up"),
        KeyBinding("g Home", [.character("g"), .home], .top, "oldest line held"),
        KeyBinding("G End", [.character("G"), .end], .bottom, "newest line, follow again"),
        KeyBinding("=", [.character("=")], .togglePause, "pause / resume showing new lines"),
        KeyBinding("/", [.character("/")], .search, "search (regex; lowercase ignores case)"),
        KeyBinding("n", [.character("n")], .nextMatch, "next match"),
        KeyBinding("N", [.character("N")], .previousMatch, "previous match"),
        KeyBinding("f", [.character("f")], .filter, "filter by regex (empty clears)"),
        KeyBinding("e", [.character("e")], .nextError, "next error"),
        KeyBinding("E", [.character("E")], .previousError, "previous error"),
        KeyBinding("w", [.character("w")], .nextWarning, "next warning"),
        KeyBinding("W", [.character("W")], .previousWarning, "previous warning"),
        KeyBinding("Tab", [.tab, .backTab], .nextPane, "other pane"),
        KeyBinding("1", [.character("1")], .focusFirst, "focus pane 1 (server log)"),
        KeyBinding("2", [.character("2")], .focusSecond, "focus pane 2 (bot log)"),
        KeyBinding("3", [.character("3")], .focusErrors, "focus pane 3 (errors)"),
        KeyBinding("4", [.character("4")], .focusWarnings, "focus pane 4 (warnings)"),
        KeyBinding("5", [.character("5")], .focusInbox, "focus pane 5 (crash inbox)"),
        KeyBinding("6", [.character("6")], .focusHistory, "focus pane 6 (crash history)"),
        KeyBinding("?", [.character("?"), .function(1)], .help, "this help"),
        KeyBinding("L", [.character("L")], .showLoop, "the supervised loop's iterations"),
        KeyBinding("q", [.character("q")], .quit, "quit"),
    ]

    /// Rows for the `?` overlay: `next …`/`previous …` pairs and the four `focus pane` keys share a row.
    static func helpRows(_ bindings: [(label: String, summary: String)]) -> [(label: String, summary: String)] {
        var rows: [(label: String, summary: String)] = []
        for binding in bindings {
            if let last = rows.last {
                if last.summary.hasPrefix("next "), binding.summary == "previous " + last.summary.dropFirst(5) {
                    rows[rows.count - 1] = ("\(last.label) \(binding.label)", "next / " + binding.summary)
                    continue
                }
                if last.summary.hasPrefix("focus pane") || last.summary.hasPrefix("panes:"), binding.summary.hasPrefix("focus pane") {
                    rows[rows.count - 1] = ("\(last.label) \(binding.label)", "panes: 1 2 logs, 3 errors, 4 warnings, 5 inbox, 6 history")
                    continue
                }
            }
            rows.append(binding)
        }
        return rows
    }

    /// Keys of the errors and warnings panes, for `?` there.
    public static let triagePane: [(label: String, keys: [Key], action: TriageAction, summary: String)] = [
        ("j ↓", [.character("j"), .down], .down, "next row"),
        ("k ↑", [.character("k"), .up], .up, "previous row"),
        ("Space PgDn", [.character(" "), .pageDown], .pageDown, "page down"),
        ("b PgUp", [.character("b"), .pageUp], .pageUp, "page up"),
        ("g Home", [.character("g"), .home], .top, "first row"),
        ("G End", [.character("G"), .end], .bottom, "last row"),
        ("Enter", [.enter], .open, "errors: jump to the line; warnings: latest occurrences, Enter again jumps"),
    ]

    static let triageByKey = lookup(triagePane.map { ($0.keys, $0.action) })

    static let byKey = lookup(logPane.map { ($0.keys, $0.action) })

    /// Key → action, from a table of bindings.
    static func lookup<Action>(_ bindings: [(keys: [Key], action: Action)]) -> [Key: Action] {
        var table: [Key: Action] = [:]
        for binding in bindings {
            for key in binding.keys { table[key] = binding.action }
        }
        return table
    }

    /// The few keys the bottom bar shows when nothing else is going on.
    public static let hints = "? help  Tab/1-6 pane  = pause  / search  f filter  e/E error  w/W warn  q quit  G follow"
    public static let triageHints = "? help  j/k move  Enter open  Tab/1-6 pane  q quit"
    public static let crashHints = "? help  j/k move  Enter detail  F fix  s sort  t state  / filter  r resolve  i ignore  o reopen  q quit"
}

extension KeyBinding.TriageAction {
    var listStep: ListStep? {
        switch self {
        case .down: .down
        case .up: .up
        case .pageDown: .pageDown
        case .pageUp: .pageUp
        case .top: .top
        case .bottom: .bottom
        case .open: nil
        }
    }
}

extension KeyBinding.CrashAction {
    var listStep: ListStep? {
        switch self {
        case .down: .down
        case .up: .up
        case .pageDown: .pageDown
        case .pageUp: .pageUp
        case .top: .top
        case .bottom: .bottom
        default: nil
        }
    }
}
