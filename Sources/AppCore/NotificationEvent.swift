import CrashAnalysis
public import CrashInbox
public import CrashStore
public import Foundation
public import LogWatch
public import Supervisor

/// One thing worth telling a person outside the dashboard, as the `notify` command reads it: one JSON object on its
/// standard input (Docs/notifications.md).
public struct NotificationEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case newGroup = "new-group"
        case regression
        case escalation
        case loop
    }

    public var kind: Kind
    /// The crash signature, or the message template of an escalation.
    public var signature: String
    /// The crash group's id in the history, when there is one.
    public var group: Int64?
    public var host: String
    public var realm: String?
    public var build: String?
    /// Occurrences of the group, or of the template in the last minute.
    public var count: Int
    /// Lines of it seen on other hosts of a shared history ("realm 2: 14").
    public var elsewhere: [String: Int]?
    /// One line for a chat message.
    public var summary: String
    /// When crashwatch saw it, ISO 8601.
    public var time: String
    /// Notifications of the same group or template left out since the last one (the rate limit).
    public var suppressed = 0

    /// What a throttle counts as "the same thing": the group, else the signature or template.
    public var key: String { group.map { "group \($0)" } ?? "\(kind.rawValue) \(signature)" }

    public init(
        kind: Kind, signature: String, group: Int64?, origin: HistoryOrigin, build: String?, count: Int,
        elsewhere: [String: Int]? = nil, summary: String, time: Date = Date()
    ) {
        self.kind = kind
        self.signature = signature
        self.group = group
        host = origin.host
        realm = origin.realm
        self.build = build
        self.count = count
        self.elsewhere = elsewhere
        self.summary = summary
        self.time = ISO8601DateFormatter().string(from: time)
    }

    /// The event an arrived crash makes: a new group or a regression; nil for a repeat.
    public static func forCrash(_ item: InboxItem, origin: HistoryOrigin) -> NotificationEvent? {
        guard let result = item.result, case .recorded(let groupID, let lifecycle)? = item.outcome else { return nil }
        let kind: Kind
        switch lifecycle {
        case .newGroup: kind = .newGroup
        case .regressed: kind = .regression
        default: return nil
        }
        let signature = result.signature.signature
        let build = result.report.buildHash
        let places = Dictionary(item.elsewhere.map { ($0.place, $0.count) }, uniquingKeysWith: +)
        let elsewhere = places.isEmpty ? "" : " (also on \(places.keys.sorted().joined(separator: ", ")))"
        let what = kind == .newGroup ? "new crash" : "regression (crashed again after its fix)"
        return NotificationEvent(
            kind: kind, signature: signature, group: groupID, origin: origin, build: build,
            count: item.groupCount ?? 1, elsewhere: places.isEmpty ? nil : places,
            summary:
                "\(origin.realm.map { "realm \($0)" } ?? origin.host): \(what): \(signature)\(build.map { " in build \($0)" } ?? "")\(elsewhere)"
        )
    }

    /// The event a template that started escalating makes.
    public static func forEscalation(_ row: EscalationTracker.Row, origin: HistoryOrigin) -> NotificationEvent {
        NotificationEvent(
            kind: .escalation, signature: row.stats.template, group: nil, origin: origin, build: nil,
            count: row.lastMinute,
            summary:
                "\(origin.realm.map { "realm \($0)" } ?? origin.host): escalating in \(row.stats.source): \(row.lastMinute) in the last minute — \(row.stats.template)"
        )
    }

    /// The event the supervised loop's end makes.
    public static func forLoop(_ reason: CrashLoop.StopReason, origin: HistoryOrigin) -> NotificationEvent {
        var signature = ""
        switch reason {
        case .fixed(let crash), .sameCrashRepeated(let crash, _), .noFix(let crash), .manualMode(let crash),
            .rejected(let crash, _):
            signature = crash
        default: break
        }
        return NotificationEvent(
            kind: .loop, signature: signature, group: nil, origin: origin, build: nil, count: 1,
            summary: "\(origin.realm.map { "realm \($0)" } ?? origin.host): loop \(reason)")
    }
}
