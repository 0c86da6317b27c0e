import TerminalUI

/// The dashboard's keys, one table per part: log panes, errors and warnings, crash panes, the crash detail and the
/// fix preview; and the bottom bar's hints, made from the tables.
public enum KeyTable {
    /// What keys do in the log panes (the pane-switching keys work everywhere).
    public enum LogAction: Sendable, CaseIterable {
        case lineDown, lineUp, pageDown, pageUp, top, bottom, togglePause, search, nextMatch, previousMatch, filter
        case nextError, previousError, nextWarning, previousWarning, nextPane, focusFirst, focusSecond, focusErrors
        case focusWarnings, focusInbox, focusHistory, help, showLoop, zoom, quit
        case scrollRight, scrollLeft, lineStart, lineEnd, filterOut, levels, command, toggleMark, nextMark
        case previousMark, openLine, toggleWrap, timeline, runChanges
    }

    /// What keys do in the errors and warnings panes.
    public enum TriageAction: Sendable, Equatable {
        case move(ListStep)
        case open
    }

    /// What keys do in the crash inbox and history panes.
    public enum CrashAction: Sendable, Equatable {
        case move(ListStep)
        case open, cycleSort, cycleState, filterText, resolve, ignore, reopen, proposeFix
    }

    /// What keys do in the crash detail view (it scrolls like `less`; a stray key does not close it).
    public enum DetailAction: Sendable, CaseIterable {
        case down, up, pageDown, pageUp, top, bottom, rawText, close, resolve, ignore, reopen, proposeFix, help
        case search, nextMatch, previousMatch, revertFix
    }

    /// What keys do in the fix preview.
    public enum FixPreviewAction: Sendable, CaseIterable {
        case nextCandidate, previousCandidate, down, up, pageDown, pageUp, approve, reject, edit, close, help
    }

    public static let logPane: [KeyBinding<LogAction>] = [
        KeyBinding("j ↓", [.character("j"), .down], .lineDown, "scroll down a line"),
        KeyBinding("k ↑", [.character("k"), .up], .lineUp, "scroll up a line (stops following)"),
        KeyBinding("Space PgDn", [.character(" "), .pageDown, .control("f")], .pageDown, "page down"),
        KeyBinding("b PgUp", [.character("b"), .pageUp, .control("b")], .pageUp, "page up"),
        KeyBinding("g Home", [.character("g"), .home], .top, "oldest line held"),
        KeyBinding("G End", [.character("G"), .end], .bottom, "newest line, follow again", hint: "G follow"),
        KeyBinding("→", [.right], .scrollRight, "scroll right (long lines)"),
        KeyBinding("←", [.left], .scrollLeft, "scroll left"),
        KeyBinding("0", [.character("0")], .lineStart, "back to the start of the lines"),
        KeyBinding("$", [.character("$")], .lineEnd, "to the end of the longest line shown"),
        KeyBinding("=", [.character("=")], .togglePause, "pause / resume showing new lines", hint: "= pause"),
        KeyBinding("/", [.character("/")], .search, "search (regex; lowercase ignores case)", hint: "/ search"),
        KeyBinding("n", [.character("n")], .nextMatch, "next match"),
        KeyBinding("N", [.character("N")], .previousMatch, "previous match"),
        KeyBinding("f", [.character("f")], .filter, "filter in by regex (empty clears)", hint: "f filter"),
        KeyBinding("F", [.character("F")], .filterOut, "filter out by regex (empty clears)"),
        KeyBinding("l", [.character("l")], .levels, "levels: all → warnings and errors → errors only"),
        KeyBinding("Enter", [.enter], .openLine, "the highlighted (or bottom) line whole, with its facts"),
        KeyBinding("|", [.character("|")], .toggleWrap, "wrap long lines / cut them (→ ← scroll)"),
        KeyBinding("m", [.character("m")], .toggleMark, "mark / unmark the highlighted (or bottom) line"),
        KeyBinding("u", [.character("u")], .nextMark, "next mark"),
        KeyBinding("U", [.character("U")], .previousMark, "previous mark"),
        KeyBinding(
            ":", [.character(":")], .command, ":goto 10:15 | -5m | LINE, :mark, :marks (Tab completes)"),
        KeyBinding("e", [.character("e")], .nextError, "next error", hint: "e/E error"),
        KeyBinding("E", [.character("E")], .previousError, "previous error"),
        KeyBinding("w", [.character("w")], .nextWarning, "next warning", hint: "w/W warn"),
        KeyBinding("W", [.character("W")], .previousWarning, "previous warning"),
        KeyBinding("Tab", [.tab, .backTab], .nextPane, "other pane", hint: "Tab/1-6 pane"),
        KeyBinding("1", [.character("1")], .focusFirst, "focus pane 1 (server log)"),
        KeyBinding("2", [.character("2")], .focusSecond, "focus pane 2 (bot log; 2 again: the next log)"),
        KeyBinding("3", [.character("3")], .focusErrors, "focus pane 3 (errors)"),
        KeyBinding("4", [.character("4")], .focusWarnings, "focus pane 4 (warnings)"),
        KeyBinding("5", [.character("5")], .focusInbox, "focus pane 5 (crash inbox)"),
        KeyBinding("6", [.character("6")], .focusHistory, "focus pane 6 (crash history)"),
        KeyBinding(
            "D", [.character("D")], .runChanges,
            "since the server's last start: new, gone, changed"),
        KeyBinding("T", [.character("T")], .timeline, "timeline in pane 2: every log merged by time (T: back)"),
        KeyBinding("?", [.character("?"), .function(1)], .help, "this help", hint: "? help"),
        KeyBinding("L", [.character("L")], .showLoop, "the supervised loop's iterations"),
        KeyBinding("z", [.character("z")], .zoom, "zoom: the focused pane on the whole screen"),
        KeyBinding("q", [.character("q")], .quit, "quit", hint: "q quit"),
    ]

    public static let triagePane: [KeyBinding<TriageAction>] =
        listMovement(TriageAction.move) + [
            KeyBinding(
                "Enter", [.enter], .open, "errors: jump to the line; warnings: latest occurrences, Enter again jumps",
                hint: "Enter open")
        ]

    public static let crashPane: [KeyBinding<CrashAction>] =
        listMovement(CrashAction.move) + [
            KeyBinding(
                "Enter", [.enter], .open, "detail: exception, frames, diagnosis, log lines, occurrences",
                hint: "Enter detail"),
            KeyBinding(
                "s", [.character("s")], .cycleSort, "history: sort by last seen / count / first seen", hint: "s sort"),
            KeyBinding(
                "t", [.character("t")], .cycleState,
                "history: show all / new / ongoing / regressed / resolved / ignored",
                hint: "t state"),
            KeyBinding("/", [.character("/")], .filterText, "history: filter by text", hint: "/ filter"),
            KeyBinding("r", [.character("r")], .resolve, "resolve the group in a build", hint: "r resolve"),
            KeyBinding("i", [.character("i")], .ignore, "ignore the group", hint: "i ignore"),
            KeyBinding("o", [.character("o")], .reopen, "reopen the group", hint: "o reopen"),
            KeyBinding(
                "F", [.character("F")], .proposeFix, "fix preview: proposed patches with their evidence", hint: "F fix"),
        ]

    public static let crashDetail: [KeyBinding<DetailAction>] = [
        KeyBinding("j ↓", [.character("j"), .down], .down, "scroll down", hint: "j/k"),
        KeyBinding("k ↑", [.character("k"), .up], .up, "scroll up"),
        KeyBinding("Space PgDn", [.character(" "), .pageDown], .pageDown, "page down", hint: "PgUp/PgDn scroll"),
        KeyBinding("b PgUp", [.character("b"), .pageUp], .pageUp, "page up"),
        KeyBinding("g Home", [.character("g"), .home], .top, "top"),
        KeyBinding("G End", [.character("G"), .end], .bottom, "bottom"),
        KeyBinding("v", [.character("v")], .rawText, "the report's own text / the analysis", hint: "v raw"),
        KeyBinding("/", [.character("/")], .search, "search (regex; lowercase ignores case)", hint: "/ search"),
        KeyBinding("n", [.character("n")], .nextMatch, "next match"),
        KeyBinding("N", [.character("N")], .previousMatch, "previous match"),
        KeyBinding("q Esc", [.character("q"), .escape], .close, "close", hint: "Esc close"),
        KeyBinding("F", [.character("F")], .proposeFix, "fix preview", hint: "F fix"),
        KeyBinding("r", [.character("r")], .resolve, "resolve the group in a build", hint: "r resolve"),
        KeyBinding("i", [.character("i")], .ignore, "ignore the group", hint: "i ignore"),
        KeyBinding("o", [.character("o")], .reopen, "reopen the group", hint: "o reopen"),
        KeyBinding(
            "U", [.character("U")], .revertFix, "revert the fix applied for this group (a new commit; asks first)"),
        KeyBinding("?", [.character("?"), .function(1)], .help, "these keys"),
    ]

    public static let fixPreview: [KeyBinding<FixPreviewAction>] = [
        // j/k move between candidates as they move between rows everywhere else; the diff has its own keys.
        KeyBinding(
            "j ↓ Tab n", [.character("j"), .down, .tab, .character("n")], .nextCandidate, "next candidate",
            hint: "j/k candidate"),
        KeyBinding(
            "k ↑ p", [.character("k"), .up, .backTab, .character("p")], .previousCandidate, "previous candidate"),
        KeyBinding("J", [.character("J"), .control("e")], .down, "scroll the diff down", hint: "J/K Space/b scroll"),
        KeyBinding("K", [.character("K"), .control("y")], .up, "scroll the diff up"),
        KeyBinding("Space PgDn", [.character(" "), .pageDown], .pageDown, "page down"),
        KeyBinding("b PgUp", [.character("b"), .pageUp], .pageUp, "page up"),
        KeyBinding(
            "A", [.character("A")], .approve, "approve: confirm, then git apply --check, branch, apply, commit",
            hint: "A approve"),
        KeyBinding("R", [.character("R")], .reject, "reject with a reason (recorded in the history)", hint: "R reject"),
        KeyBinding(
            "e", [.character("e")], .edit, "edit the patch in $VISUAL / $EDITOR; it is checked and compiled again",
            hint: "e edit"),
        KeyBinding("Esc q", [.escape, .character("q")], .close, "close", hint: "Esc close"),
        KeyBinding("?", [.character("?"), .function(1)], .help, "these keys"),
    ]

    /// The movement keys every list pane shares; `hint` names them in the bottom bar.
    static func listMovement<Action>(_ move: (ListStep) -> Action) -> [KeyBinding<Action>] {
        [
            KeyBinding("j ↓", [.character("j"), .down], move(.down), "next row", hint: "j/k move"),
            KeyBinding("k ↑", [.character("k"), .up], move(.up), "previous row"),
            KeyBinding("Space PgDn", [.character(" "), .pageDown], move(.pageDown), "page down"),
            KeyBinding("b PgUp", [.character("b"), .pageUp], move(.pageUp), "page up"),
            KeyBinding("g Home", [.character("g"), .home], move(.top), "first row"),
            KeyBinding("G End", [.character("G"), .end], move(.bottom), "last row"),
        ]
    }

    static let logByKey: [Key: LogAction] = logPane.lookup()
    static let triageByKey: [Key: TriageAction] = triagePane.lookup()
    static let crashByKey: [Key: CrashAction] = crashPane.lookup()
    static let detailByKey: [Key: DetailAction] = crashDetail.lookup()
    static let fixPreviewByKey: [Key: FixPreviewAction] = fixPreview.lookup()

    // MARK: - The bottom bar

    /// The few keys the bottom bar shows in a log pane when nothing else is going on.
    public static let logHints = line(
        logPane.hint(.help), logPane.hint(.nextPane), logPane.hint(.togglePause), logPane.hint(.search),
        logPane.hint(.filter), logPane.hint(.nextError), logPane.hint(.nextWarning), logPane.hint(.quit),
        logPane.hint(.bottom))
    public static let triageHints = line(
        logPane.hint(.help), triagePane.hint(.move(.down)), triagePane.hint(.open), logPane.hint(.nextPane),
        logPane.hint(.quit))
    public static let crashHints = line(
        [logPane.hint(.help)]
            + [
                CrashAction.move(.down), .open, .proposeFix, .cycleSort, .cycleState, .filterText, .resolve, .ignore,
                .reopen,
            ]
            .map(crashPane.hint) + [logPane.hint(.quit)])
    public static let detailHints =
        line(
            crashDetail.hint(.down) + " " + crashDetail.hint(.pageDown), crashDetail.hint(.rawText),
            crashDetail.hint(.proposeFix))
        + "  " + [DetailAction.resolve, .ignore, .reopen, .close].map(crashDetail.hint).joined(separator: "  ")
    public static let fixPreviewHints = line(
        fixPreview.hint(.nextCandidate), fixPreview.hint(.down), fixPreview.hint(.approve), fixPreview.hint(.reject),
        fixPreview.hint(.edit), fixPreview.hint(.close))

    private static func line(_ hints: String...) -> String { line(hints) }
    private static func line(_ hints: [String]) -> String { hints.joined(separator: "  ") }

    // MARK: - The ? overlay

    /// Rows for the `?` overlay: `next …`/`previous …` pairs and the `focus pane` keys share a row.
    static func helpRows(_ bindings: [(label: String, summary: String)]) -> [(label: String, summary: String)] {
        var rows: [(label: String, summary: String)] = []
        // Opposite moves share a row, so that the whole list fits a 24-row terminal.
        let opposites: [String: (second: String, joined: String)] = [
            "scroll down a line": ("scroll up a line (stops following)", "a line down / up (up stops following)"),
            "page down": ("page up", "page down / up"),
            "oldest line held": ("newest line, follow again", "oldest line held / newest, follow again"),
            "scroll right (long lines)": ("scroll left", "scroll right / left (long lines)"),
            "back to the start of the lines": ("to the end of the longest line shown", "start / end of the lines"),
            "filter in by regex (empty clears)": (
                "filter out by regex (empty clears)", "show only / hide lines matching a regex (empty clears)"
            ),
        ]
        for binding in bindings {
            if let last = rows.last {
                if let pair = opposites[last.summary], binding.summary == pair.second {
                    rows[rows.count - 1] = ("\(last.label) \(binding.label)", pair.joined)
                    continue
                }
                if last.summary.hasPrefix("next "), binding.summary == "previous " + last.summary.dropFirst(5) {
                    rows[rows.count - 1] = ("\(last.label) \(binding.label)", "next / " + binding.summary)
                    continue
                }
                if last.summary.hasPrefix("focus pane") || last.summary.hasPrefix("1 2 logs"),
                    binding.summary.hasPrefix("focus pane")
                {
                    rows[rows.count - 1] = (
                        "\(last.label) \(binding.label)",
                        "1 2 logs (2: next log) 3 errors 4 warns 5 inbox 6 hist"
                    )
                    continue
                }
            }
            rows.append(binding)
        }
        return rows
    }
}
