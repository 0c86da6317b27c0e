/// The panes: two logs, the error ring, the warning templates, the crash inbox and the crash history.
///
/// Their index + 1 is the number key that focuses them (1–6).
public enum PaneKind: Int, Sendable, CaseIterable {
    case serverLog = 0, playerbotLog, errors, warnings, inbox, history

    var isLog: Bool { self == .serverLog || self == .playerbotLog }
    var isCrash: Bool { self == .inbox || self == .history }
    var title: String {
        switch self {
        case .serverLog, .playerbotLog: "log"
        case .errors: "Errors"
        case .warnings: "Warnings"
        case .inbox: "Crash inbox"
        case .history: "Crash history"
        }
    }
}
