/// One terminal cell: a character and the role that styles it.
///
/// A wide character takes its own cell plus the next one, which is marked `isContinuation` and never drawn.
public struct Cell: Sendable, Equatable {
    public var character: Character
    public var role: StyleRole
    public var isContinuation: Bool
    /// On the highlighted row: drawn with the cursor line's look but its own role's colour, so a selected ERROR line
    /// stays red.
    public var isSelected = false

    public init(_ character: Character = " ", role: StyleRole = .text, isContinuation: Bool = false) {
        self.character = character
        self.role = role
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}
