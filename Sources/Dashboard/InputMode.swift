/// What keys currently go to.
public enum InputMode: Sendable, Equatable {
    case normal
    case prompt(Prompt)
    case help
}
