/// A key press, decoded from the terminal.
public enum Key: Sendable, Hashable {
    case character(Character)
    case control(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab, backTab
    case function(Int)
    /// The terminal changed size.
    case resize
}
