/// What groups crashes: the signature, plus the keys for "similar" crashes.
public struct CrashSignature: Sendable, Hashable, Codable {
    /// `SIGSEGV | Unit::DealDamage`, `ASSERTION | WorldObject::GetMap | Map::AddObjectToRemoveList`; ≤ 255 characters.
    public var signature: String
    /// A short stable key of the signature (16 hex digits), for branch names and references.
    ///
    /// The history's row id of a group is `groupID` everywhere else. Coded as `groupID`, as stored and documented.
    public var groupKey: String
    /// The signature algorithm's version, stored with every result.
    public var algorithmVersion: Int
    /// The fault kind that leads the signature (`ACCESS_VIOLATION`, `SIGSEGV`, `ASSERTION`, …).
    public var faultKind: String
    /// The top in-app frames (at most five), for finding similar groups when signatures differ slightly.
    public var similarityFrames: [String]
    /// Every frame of the crashing thread, normalised.
    public var normalizedFrames: [String]
    /// How the frames were chosen, when it was not plainly the crashing thread (a guess, no stack, …).
    public var note: String?

    enum CodingKeys: String, CodingKey {
        case signature, groupKey = "groupID", algorithmVersion, faultKind, similarityFrames, normalizedFrames, note
    }

    public init(
        signature: String, groupKey: String, algorithmVersion: Int, faultKind: String, similarityFrames: [String],
        normalizedFrames: [String], note: String?
    ) {
        self.signature = signature
        self.groupKey = groupKey
        self.algorithmVersion = algorithmVersion
        self.faultKind = faultKind
        self.similarityFrames = similarityFrames
        self.normalizedFrames = normalizedFrames
        self.note = note
    }

    public var similarityKey: String { similarityFrames.joined(separator: " > ") }

    /// 0…1: the share of top in-app frames two crashes have in common.
    public func similarity(to other: CrashSignature) -> Double {
        let mine = Set(similarityFrames), theirs = Set(other.similarityFrames)
        guard !mine.isEmpty || !theirs.isEmpty else { return 0 }
        return Double(mine.intersection(theirs).count) / Double(max(mine.count, theirs.count))
    }
}
