import Foundation
public import GRDB

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
    /// Build hashes the group was seen in, first seen first (stored as a JSON array).
    public var buildsSeen: [String]
    public var state: GroupState
    public var resolvedInBuild: String?
    /// The builds seen before the group was resolved: seeing one of them again is not a regression.
    public var buildsBeforeResolve: [String]
    /// The group's top in-app frames (at most five), to find groups whose stacks overlap.
    public var topFrames: [String] = []

    public init(
        id: Int64?, groupKey: String, signature: String, algorithmVersion: Int, title: String, faultKind: String,
        severity: String, patternID: String?, isBotRelated: Bool, firstSeen: Int64, lastSeen: Int64, count: Int,
        buildsSeen: [String], state: GroupState, resolvedInBuild: String?, buildsBeforeResolve: [String],
        topFrames: [String] = []
    ) {
        self.id = id
        self.groupKey = groupKey
        self.signature = signature
        self.algorithmVersion = algorithmVersion
        self.title = title
        self.faultKind = faultKind
        self.severity = severity
        self.patternID = patternID
        self.isBotRelated = isBotRelated
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.count = count
        self.buildsSeen = buildsSeen
        self.state = state
        self.resolvedInBuild = resolvedInBuild
        self.buildsBeforeResolve = buildsBeforeResolve
        self.topFrames = topFrames
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let groupKey = Column(CodingKeys.groupKey)
        public static let signature = Column(CodingKeys.signature)
        public static let title = Column(CodingKeys.title)
        public static let state = Column(CodingKeys.state)
        public static let count = Column(CodingKeys.count)
        public static let firstSeen = Column(CodingKeys.firstSeen)
        public static let lastSeen = Column(CodingKeys.lastSeen)
        public static let topFrames = Column(CodingKeys.topFrames)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
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
    /// The crashing thread's normalised frames (stored as a JSON array).
    public var frames: [String]
    /// JSON of the diagnosis.
    public var diagnosis: String
    /// JSON of the correlated log lines, or nil.
    public var logLines: String?
    public var rawText: String
    /// The machine that recorded it (empty in rows written before hosts were recorded).
    public var host: String = ""
    public var realm: String?

    public init(
        id: Int64?, groupID: Int64, time: Int64, reportPath: String, contentHash: String, fileIdentity: String?,
        identicalTo: Int64?, build: String?, exception: String, format: String, frames: [String], diagnosis: String,
        logLines: String?, rawText: String, host: String = "", realm: String? = nil
    ) {
        self.id = id
        self.groupID = groupID
        self.time = time
        self.reportPath = reportPath
        self.contentHash = contentHash
        self.fileIdentity = fileIdentity
        self.identicalTo = identicalTo
        self.build = build
        self.exception = exception
        self.format = format
        self.frames = frames
        self.diagnosis = diagnosis
        self.logLines = logLines
        self.rawText = rawText
        self.host = host
        self.realm = realm
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let host = Column(CodingKeys.host)
        public static let realm = Column(CodingKeys.realm)
        public static let groupID = Column(CodingKeys.groupID)
        public static let time = Column(CodingKeys.time)
        public static let contentHash = Column(CodingKeys.contentHash)
        public static let reportPath = Column(CodingKeys.reportPath)
        public static let fileIdentity = Column(CodingKeys.fileIdentity)
        public static let build = Column(CodingKeys.build)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// An approve or reject decision on a proposed fix.
public struct FixDecisionRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "fixDecision"
    public var id: Int64?
    public var groupID: Int64
    public var time: Int64
    public var decision: Decision
    public var reason: String?
    public var patch: String
    public var commitHash: String?

    public enum Decision: String, Codable, Sendable {
        case approved, rejected
    }

    public enum Columns {
        public static let groupID = Column(CodingKeys.groupID)
        public static let time = Column(CodingKeys.time)
    }

    public init(
        id: Int64?, groupID: Int64, time: Int64, decision: Decision, reason: String?, patch: String, commitHash: String?
    ) {
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
