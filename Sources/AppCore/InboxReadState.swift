import CrashwatchKit
import Foundation

/// Which crash reports the user has opened, kept in a small file so the inbox keeps its read and unread marks across
/// restarts of crashwatch.
///
/// A report is named by its path and the hash of its text.
public final class InboxReadState: Sendable {
    public let path: String
    private let read: LockBox<[String]>
    /// The newest marks kept (older ones are dropped: their crashes are long out of the inbox).
    static let capacity = 5_000

    public init(path: String) {
        self.path = path
        let data = FileManager.default.contents(atPath: path) ?? Data()
        read = LockBox((try? JSONDecoder().decode([String].self, from: data)) ?? [])
    }

    /// `$XDG_STATE_HOME/crashwatch/inbox-read.json`.
    public static func defaultPath(environment: [String: String]) -> String {
        let stateHome = AppSettings.stateHome(environment: environment)
        return "\(stateHome)/crashwatch/inbox-read.json"
    }

    public static func key(reportPath: String, contentHash: String) -> String { "\(contentHash) \(reportPath)" }

    public func isRead(_ key: String) -> Bool { read.withLock { $0.contains(key) } }

    /// Marks `key` read and writes the file (whole, renamed into place).
    public func markRead(_ key: String) {
        let snapshot = read.withLock { marks -> [String]? in
            guard !marks.contains(key) else { return nil }
            marks.append(key)
            if marks.count > Self.capacity { marks.removeFirst(marks.count - Self.capacity) }
            return marks
        }
        guard let snapshot, let data = try? JSONEncoder().encode(snapshot) else { return }
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
