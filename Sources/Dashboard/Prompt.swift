/// A line of input at the bottom of the screen (`/` search, `f` filter).
public struct Prompt: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case search, filter
        /// Text filter of the history browser.
        case historyFilter
        /// The build a group is resolved in.
        case resolveBuild(groupID: Int64)

        var label: String {
            switch self {
            case .search: "/"
            case .filter: "filter: "
            case .historyFilter: "history filter: "
            case .resolveBuild: "resolved in build: "
            }
        }
    }

    public var kind: Kind
    public var text: String

    public init(kind: Kind, text: String = "") {
        self.kind = kind
        self.text = text
    }
}
