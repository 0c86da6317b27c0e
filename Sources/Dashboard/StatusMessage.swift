/// A one-line message in the bottom bar (a failed search, a rotated file, a bad theme).
public struct StatusMessage: Sendable, Equatable {
    public var text: String
    /// Problems are drawn in the notice style; information in the plain bar style.
    public var isProblem: Bool

    public init(_ text: String, isProblem: Bool = false) {
        self.text = text
        self.isProblem = isProblem
    }
}
