/// The four panes: two logs, the error ring and the warning templates. Their index is the number key that focuses
/// them (1–4).
public enum PaneKind: Int, Sendable, CaseIterable {
    case serverLog = 0, playerbotLog, errors, warnings

    var isLog: Bool { self == .serverLog || self == .playerbotLog }
    var title: String {
        switch self {
        case .serverLog, .playerbotLog: "log"
        case .errors: "Errors"
        case .warnings: "Warnings"
        }
    }
}
