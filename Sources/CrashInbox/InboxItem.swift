public import CrashAnalysis
public import CrashStore

/// One entry of the crash inbox: a report that arrived, analysed and stored (or a minidump without a report).
public struct InboxItem: Sendable, Identifiable {
    public let id: Int
    public var path: String
    public var minidump: String?
    public var result: CrashAnalysisResult?
    /// What storing it did (new group, repeat, regression …), or why it is only in memory.
    public var outcome: RecordOutcome?
    /// Occurrences of its group, this one included, when known.
    public var groupCount: Int?
    /// How often its group crashes now against its own past (escalating groups are flagged).
    public var rate: CrashGroupRate?
    /// Where other hosts or realms of a shared history saw its group.
    public var elsewhere: [HostSighting] = []
    /// Crash time on the `CivilTime` scale.
    public var time: Int64
    /// Seconds from the file's last write to the item being ready.
    public var latency: Double
    public var isUnread = true
    /// A second read of a file that was still being written the first time: it replaces that entry.
    public var replacesEarlierRead = false
    /// Set for files that could not be used (unreadable, lone minidump): what to do about it.
    public var note: String?

    public init(
        id: Int, path: String, minidump: String? = nil, result: CrashAnalysisResult? = nil,
        outcome: RecordOutcome? = nil, groupCount: Int? = nil, time: Int64, latency: Double,
        note: String? = nil
    ) {
        self.id = id
        self.path = path
        self.minidump = minidump
        self.result = result
        self.outcome = outcome
        self.groupCount = groupCount
        self.time = time
        self.latency = latency
        self.note = note
    }
}
