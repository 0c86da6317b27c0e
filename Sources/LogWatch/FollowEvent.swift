/// Something that happened to a followed file besides new lines.
public enum FollowEvent: Sendable, Equatable, CustomStringConvertible {
    /// The file was opened (at start, or after it appeared).
    case opened
    /// The path does not exist (yet); the follower keeps looking for it.
    case missing
    /// The file shrank, or its first line changed: a server restart re-opened it with mode `w`.
    case truncated
    /// A different file now stands at the path (rotation by rename, or delete and re-create).
    case rotated
    /// Reading failed; the follower retries on the next poll.
    case failed(String)

    public var description: String {
        switch self {
        case .opened: "opened"
        case .missing: "waiting for the file to appear"
        case .truncated: "file truncated (server restart?)"
        case .rotated: "file rotated"
        case .failed(let reason): "read error: \(reason)"
        }
    }
}
