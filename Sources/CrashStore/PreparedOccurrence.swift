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
    public var host: String
    public var realm: String?
    public var reportPath: String
    /// Seconds on the `CivilTime` scale.
    public var time: Int64
    public var fileIdentity: String?
    public var contentHash: String
    public var build: String?

    public var groupKey: String
    public var signature: String
    public var algorithmVersion: Int
    public var title: String
    public var faultKind: String
    public var severity: String
    public var patternID: String?
    public var isBotRelated: Bool
    public var topFrames: [String]
    /// The crash time the report states, for a stack-less report to join the stored copy of the same crash.
    public var statedCrashTime: Int64?
    /// No stack and no assertion: such a report is matched to the same crash by build and time.
    public var isStackless: Bool

    public var exception: String
    public var format: String
    public var frames: [String]
    public var diagnosis: String
    public var logLines: String?
    public var rawText: String

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
        host = origin.host
        realm = origin.realm
        self.reportPath = reportPath
        self.time = time
        self.fileIdentity = fileIdentity
        contentHash = SignatureGenerator.stableHash(result.report.rawText)
        build = result.report.buildHash
        groupKey = result.signature.groupKey
        signature = result.signature.signature
        algorithmVersion = result.signature.algorithmVersion
        title = result.diagnosis.patterns.first?.name ?? result.signature.signature
        faultKind = result.signature.faultKind
        severity = result.diagnosis.severity.rawValue
        patternID = result.diagnosis.patterns.first?.id
        isBotRelated = result.diagnosis.isBotRelated
        topFrames = Array(result.signature.similarityFrames.prefix(5))
        statedCrashTime = result.report.crashTime?.secondsSinceEpoch
        isStackless = result.signature.normalizedFrames.isEmpty && result.report.assertion == nil
        exception = [result.report.exceptionCode, result.report.exceptionName].compactMap { $0 }.joined(separator: " ")
        format = result.report.format.rawValue
        frames = result.signature.normalizedFrames
        diagnosis = json(result.diagnosis) ?? "{}"
        logLines = result.correlation.flatMap { json($0) }
        self.rawText = result.report.rawText
    }

    /// A stored occurrence of `group` again, as `history push` sends it: its uid is made from what names it (host,
    /// file, text, time), so pushing the same history twice sends the same uids.
    public init(stored occurrence: OccurrenceRecord, of group: CrashGroupRecord, defaultHost: String) {
        host = occurrence.host.isEmpty ? defaultHost : occurrence.host
        realm = occurrence.realm
        uid =
            "push-"
            + SignatureGenerator.stableHash(
                [
                    host, occurrence.reportPath, occurrence.fileIdentity ?? "", occurrence.contentHash,
                    "\(occurrence.time)",
                ]
                .joined(separator: "\n"))
        reportPath = occurrence.reportPath
        time = occurrence.time
        fileIdentity = occurrence.fileIdentity
        contentHash = occurrence.contentHash
        build = occurrence.build
        groupKey = group.groupKey
        signature = group.signature
        algorithmVersion = group.algorithmVersion
        title = group.title
        faultKind = group.faultKind
        severity = group.severity
        patternID = group.patternID
        isBotRelated = group.isBotRelated
        topFrames = group.topFrames
        statedCrashTime = nil
        isStackless = false
        exception = occurrence.exception
        format = occurrence.format
        frames = occurrence.frames
        diagnosis = occurrence.diagnosis
        logLines = occurrence.logLines
        rawText = occurrence.rawText
    }

    /// The group row this occurrence starts when its group is not stored yet (count 0; the lifecycle counts it).
    public var newGroup: CrashGroupRecord {
        CrashGroupRecord(
            id: nil, groupKey: groupKey, signature: signature, algorithmVersion: algorithmVersion, title: title,
            faultKind: faultKind, severity: severity, patternID: patternID, isBotRelated: isBotRelated,
            firstSeen: time, lastSeen: time, count: 0, buildsSeen: [], state: .new, resolvedInBuild: nil,
            buildsBeforeResolve: [], topFrames: topFrames)
    }

    /// The occurrence row under `groupID`.
    public func record(groupID: Int64, identicalTo: Int64?) -> OccurrenceRecord {
        OccurrenceRecord(
            id: nil, groupID: groupID, time: time, reportPath: reportPath, contentHash: contentHash,
            fileIdentity: fileIdentity, identicalTo: identicalTo, build: build, exception: exception, format: format,
            frames: frames, diagnosis: diagnosis, logLines: logLines, rawText: rawText, host: host, realm: realm)
    }
}
