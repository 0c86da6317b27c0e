/// What keys currently go to.
public enum InputMode: Sendable, Equatable {
    case normal
    case prompt(Prompt)
    case help
    /// The latest occurrences of a warning template (Enter on the warnings pane).
    case occurrences(String)
}
