/// A one-line message in the bottom bar (a failed search, a rotated file, a bad theme).
public struct StatusMessage: Sendable, Equatable {
    /// How much a message matters next to the others that arrive while it is shown.
    public enum Priority: Int, Sendable, Comparable {
        /// A log rotated or truncated, a file that appeared: said, but anything replaces it.
        case routine
        /// What a key press answers.
        case normal
        /// A new crash, a regression, an escalation: kept in sight for `StatusMessage.minimumTime` against routine
        /// notices.
        case important

        public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
    }

    public var text: String
    /// Problems are drawn in the notice style; information in the plain bar style.
    public var isProblem: Bool
    public var priority: Priority

    /// How long an important message stays before a routine one may take its place.
    public static let minimumTime: Duration = .seconds(20)

    public init(_ text: String, isProblem: Bool = false, priority: Priority = .normal) {
        self.text = text
        self.isProblem = isProblem
        self.priority = priority
    }
}
