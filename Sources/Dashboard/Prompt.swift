/// A line of input at the bottom of the screen (`/` search, `f` filter).
public struct Prompt: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case search, filter
        /// Text filter of the history browser.
        case historyFilter
        /// The build a group is resolved in.
        case resolveBuild(groupID: Int64)
        /// "y" applies fix candidate `index`.
        case confirmApply(index: Int)
        case rejectReason(index: Int)
        /// The source tree has uncommitted changes: "s" stashes them and applies, anything else cancels.
        case dirtyTree(index: Int)

        var belongsToFixPreview: Bool {
            switch self {
            case .confirmApply, .rejectReason, .dirtyTree: true
            default: false
            }
        }

        var label: String {
            switch self {
            case .search: "/"
            case .filter: "filter: "
            case .historyFilter: "history filter: "
            case .resolveBuild: "resolved in build: "
            case .confirmApply: "apply this patch through git on a new branch? y to apply: "
            case .rejectReason: "reject — reason: "
            case .dirtyTree:
                "the source tree has uncommitted changes — s: stash them and apply, anything else: cancel: "
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
