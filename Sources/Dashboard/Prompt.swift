/// A line of input at the bottom of the screen (`/` search, `f` filter).
public struct Prompt: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case search, filter

        var label: String {
            switch self {
            case .search: "/"
            case .filter: "filter: "
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
