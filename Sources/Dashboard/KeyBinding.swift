import TerminalUI

/// A key of the log panes and what it does. `DashboardState.handle(_:)` looks keys up here and `?` lists this table,
/// so the help can never drift from the behaviour.
public struct KeyBinding: Sendable {
    public enum Action: Sendable, CaseIterable {
        case lineDown, lineUp, pageDown, pageUp, top, bottom, togglePause, search, nextMatch, previousMatch, filter
        case nextError, previousError, nextWarning, previousWarning, nextPane, focusFirst, focusSecond, help, quit
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
        KeyBinding("1", [.character("1")], .focusFirst, "Server.log pane"),
        KeyBinding("2", [.character("2")], .focusSecond, "Playerbot.log pane"),
        KeyBinding("?", [.character("?"), .function(1)], .help, "this help"),
        KeyBinding("q", [.character("q")], .quit, "quit"),
    ]

    static let byKey: [Key: Action] = {
        var table: [Key: Action] = [:]
        for binding in logPane {
            for key in binding.keys { table[key] = binding.action }
        }
        return table
    }()

    /// The few keys the bottom bar shows when nothing else is going on.
    public static let hints = "Tab pane  = pause  / search  f filter  e/E error  w/W warning  G follow  ? help  q quit"
}
