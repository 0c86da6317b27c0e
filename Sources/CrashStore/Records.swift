import Foundation
import GRDB

/// A crash group row: one signature.
public struct CrashGroupRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "crashGroup"
    public var id: Int64?
    public var groupKey: String
    public var signature: String
    public var algorithmVersion: Int
    public var title: String
    public var faultKind: String
    public var severity: String
    public var patternID: String?
    public var isBotRelated: Bool
    /// Seconds on the `CivilTime` scale (server local time read as UTC).
    public var firstSeen: Int64
    public var lastSeen: Int64
    public var count: Int
    /// JSON array of build hashes.
    public var buildsSeen: String
    public var state: String
    public var resolvedInBuild: String?
    public var buildsBeforeResolve: String
    /// JSON array of the group's top in-app frames (at most five), to find groups whose stacks overlap.
    public var topFrames: String = "[]"

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public var frames: [String] { (try? JSONDecoder().decode([String].self, from: Data(topFrames.utf8))) ?? [] }

    public var groupState: GroupState { GroupState(rawValue: state) ?? .ongoing }
    public var builds: [String] { (try? JSONDecoder().decode([String].self, from: Data(buildsSeen.utf8))) ?? [] }
}

/// One crash report stored under its group.
public struct OccurrenceRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "occurrence"
    public var id: Int64?
    public var groupID: Int64
    public var time: Int64
    public var reportPath: String
    public var contentHash: String
    /// `device:inode` of the report file, so a renamed or touched file is known as the same file.
    public var fileIdentity: String?
    /// The earlier occurrence whose text this one repeats byte for byte (the same crash again).
    public var identicalTo: Int64?
    public var build: String?
    public var exception: String
    public var format: String
    /// JSON array of the crashing thread's normalised frames.
    public var frames: String
    /// JSON of the diagnosis.
    public var diagnosis: String
    /// JSON of the correlated log lines, or nil.
    public var logLines: String?
    public var rawText: String

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// An approve or reject decision on a proposed fix.
public struct FixDecisionRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "fixDecision"
    public var id: Int64?
    public var groupID: Int64
    public var time: Int64
    public var decision: String
    public var reason: String?
    public var patch: String
    public var commitHash: String?

    public init(id: Int64?, groupID: Int64, time: Int64, decision: String, reason: String?, patch: String, commitHash: String?) {
        self.id = id
        self.groupID = groupID
        self.time = time
        self.decision = decision
        self.reason = reason
        self.patch = patch
        self.commitHash = commitHash
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
