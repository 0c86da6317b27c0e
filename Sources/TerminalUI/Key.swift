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
    /// A click or a turn of the wheel at a cell.
    case mouse(MouseEvent)
}

/// What the mouse did, and where (cell column and row).
public struct MouseEvent: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case press, wheelUp, wheelDown }

    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}
