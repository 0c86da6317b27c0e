public import CrashAnalysis
import CrashwatchKit
import Foundation

/// One occurrence as every store writes it: the group it belongs to and the row itself, taken from an analysis once.
///
/// It is `Codable` so that an occurrence the shared history could not take yet waits in the local outbox exactly as it
/// will be written, and so that `history push` can replay a local history's rows.
public struct PreparedOccurrence: Codable, Sendable, Equatable {
    /// Names this occurrence everywhere it is sent: a store that already has it takes it once.
    public var uid: String
    /// The group row this occurrence starts when its group is not stored yet (count 0; the lifecycle counts it).
    public var newGroup: CrashGroupRecord
    /// The occurrence row, before it has a group id.
    public var row: OccurrenceRecord
    /// The crash time the report states, for a stack-less report to join the stored copy of the same crash.
    public var statedCrashTime: Int64?
    /// No stack and no assertion: such a report is matched to the same crash by build and time.
    public var isStackless: Bool

    public var host: String { row.host }
    public var reportPath: String { row.reportPath }
    /// Seconds on the `CivilTime` scale.
    public var time: Int64 { row.time }
    public var fileIdentity: String? { row.fileIdentity }
    public var contentHash: String { row.contentHash }
    public var build: String? { row.build }
    public var groupKey: String { newGroup.groupKey }

    public init(
        result: CrashAnalysisResult, reportPath: String, time: Int64, fileIdentity: String?, origin: HistoryOrigin,
        uid: String? = nil
    ) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json(_ value: some Encodable) -> String? {
            (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
        }
        self.uid = uid ?? UUID().uuidString.lowercased()
        newGroup = CrashGroupRecord(
            id: nil, groupKey: result.signature.groupKey, signature: result.signature.signature,
            algorithmVersion: result.signature.algorithmVersion,
            title: result.diagnosis.patterns.first?.name ?? result.signature.signature,
            faultKind: result.signature.faultKind, severity: result.diagnosis.severity.rawValue,
            patternID: result.diagnosis.patterns.first?.id, isBotRelated: result.diagnosis.isBotRelated,
            firstSeen: time, lastSeen: time, count: 0, buildsSeen: [], state: .new, resolvedInBuild: nil,
            buildsBeforeResolve: [], topFrames: Array(result.signature.similarityFrames.prefix(5)))
        row = OccurrenceRecord(
            id: nil, groupID: 0, time: time, reportPath: reportPath,
            contentHash: SignatureGenerator.stableHash(result.report.rawText), fileIdentity: fileIdentity,
            identicalTo: nil, build: result.report.buildHash,
            exception: [result.report.exceptionCode, result.report.exceptionName].compactMap { $0 }.joined(
                separator: " "),
            format: result.report.format.rawValue, frames: result.signature.normalizedFrames,
            diagnosis: json(result.diagnosis) ?? "{}", logLines: result.correlation.flatMap { json($0) },
            rawText: result.report.rawText, host: origin.host, realm: origin.realm)
        statedCrashTime = result.report.crashTime?.secondsSinceEpoch
        isStackless = result.signature.normalizedFrames.isEmpty && result.report.assertion == nil
    }

    /// A stored occurrence of `group` again, as `history push` sends it: its uid is made from what names it (host,
    /// file, text, time), so pushing the same history twice sends the same uids.
    public init(stored occurrence: OccurrenceRecord, of group: CrashGroupRecord, defaultHost: String) {
        var row = occurrence
        row.id = nil
        row.groupID = 0
        row.identicalTo = nil
        if row.host.isEmpty { row.host = defaultHost }
        self.row = row
        uid =
            "push-"
            + SignatureGenerator.stableHash(
                [row.host, row.reportPath, row.fileIdentity ?? "", row.contentHash, "\(row.time)"].joined(
                    separator: "\n"))
        var fresh = group
        fresh.id = nil
        fresh.firstSeen = row.time
        fresh.lastSeen = row.time
        fresh.lifecycle = GroupLifecycle.Group(state: .new, count: 0, buildsSeen: [])
        newGroup = fresh
        statedCrashTime = nil
        isStackless = false
    }

    /// The occurrence row under `groupID`.
    public func record(groupID: Int64, identicalTo: Int64?) -> OccurrenceRecord {
        var placed = row
        placed.groupID = groupID
        placed.identicalTo = identicalTo
        return placed
    }
}
