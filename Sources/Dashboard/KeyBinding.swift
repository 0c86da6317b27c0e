public import TerminalUI

/// A key (or several keys for one action) and what it does in one part of the dashboard.
///
/// Every part has one table in `KeyTable`: `DashboardState` looks keys up there, the `?` overlay lists it and the
/// bottom bar is made from the tables' `hint`s, so that neither help nor hints can drift from the behaviour.
public struct KeyBinding<Action: Sendable & Equatable>: Sendable {
    public var label: String
    public var keys: [Key]
    public var action: Action
    public var summary: String
    /// The bottom bar's words for this key (`e/E error`), for the keys it shows.
    public var hint: String?

    init(_ label: String, _ keys: [Key], _ action: Action, _ summary: String, hint: String? = nil) {
        self.label = label
        self.keys = keys
        self.action = action
        self.summary = summary
        self.hint = hint
    }
}

extension Array {
    /// Key → action of a table.
    func lookup<Action>() -> [Key: Action] where Element == KeyBinding<Action> {
        var table: [Key: Action] = [:]
        for binding in self {
            for key in binding.keys { table[key] = binding.action }
        }
        return table
    }

    /// The hint of the binding for `action`.
    func hint<Action>(_ action: Action) -> String where Element == KeyBinding<Action> {
        first { $0.action == action }?.hint ?? ""
    }

    /// Label and summary of each binding, for the `?` overlay.
    func helpEntries<Action>() -> [(label: String, summary: String)] where Element == KeyBinding<Action> {
        map { ($0.label, $0.summary) }
    }
}
