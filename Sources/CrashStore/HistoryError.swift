/// A problem with the history database, said so a person knows what to do.
///
/// The database file is never deleted; a server's password is never part of `path` or `detail`.
public struct HistoryError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case locked, corrupt, diskFull, cannotOpen, other
        /// The history server cannot be reached (down, wrong host or port, the network, a time-out).
        case unreachable
        /// The server refused the user or its password.
        case refused
        /// The server has no database of that name.
        case noDatabase
    }

    public var kind: Kind
    public var path: String
    public var detail: String

    public init(kind: Kind, path: String, detail: String) {
        self.kind = kind
        self.path = path
        self.detail = detail
    }

    /// A shared history's server cannot be reached or refuses crashwatch: writes wait in the outbox.
    public var isOffline: Bool { [.unreachable, .refused, .noDatabase].contains(kind) }

    public var description: String {
        switch kind {
        case .locked:
            "history \(path) is locked by another program (another crashwatch?); crashes are kept in memory and written when it is free"
        case .corrupt:
            "history \(path) is damaged or not a crashwatch database (\(detail)); it was left untouched — move it aside to start a new one"
        case .diskFull:
            "history \(path): the disk is full; crashes are kept in memory and written when there is room"
        case .cannotOpen:
            "history \(path) cannot be opened: \(detail)"
        case .other:
            "history \(path): \(detail)"
        case .unreachable:
            "history server \(path) cannot be reached: \(detail)"
        case .refused:
            "history server \(path) refused the login: \(detail)"
        case .noDatabase:
            "history server \(path): \(detail)"
        }
    }
}
