public import CrashAnalysis
public import CrashStore
import CrashwatchKit
import Foundation

/// Turns crash files into inbox items: read once, analysed, stored in the history, duplicates dropped.
public actor CrashInboxService {
    private let analyzer: CrashAnalyzer
    private let history: (any HistoryStore)?
    private var nextID = 1
    private var qualifier: SourceTreeQualifier?

    /// - Parameter sourceRoot: the source tree that qualifies assertions naming only a method (`source`).
    public init(analyzer: CrashAnalyzer, history: (any HistoryStore)?, sourceRoot: String? = nil) {
        self.analyzer = analyzer
        self.history = history
        qualifier = sourceRoot.map(SourceTreeQualifier.init(root:))
    }

    /// The inbox item for `event`, or nil when the same report is already in the history.
    /// - Parameter evidence: recent log lines, for the correlation with the crash time.
    public func process(_ event: CrashFileEvent, evidence: [LogEvidenceLine] = []) async -> InboxItem? {
        let fileTime = WallClock.localSeconds(Date(timeIntervalSince1970: event.lastWrite))
        defer { nextID += 1 }
        if case .loneMinidump = event.kind {
            let stem = String(event.path.dropLast(4))
            return InboxItem(
                id: nextID, path: event.path, minidump: event.path, time: fileTime, latency: Self.latency(event),
                note:
                    "minidump, no text report — make one with `cdb -z \(Self.shellQuoted(event.path)) -c \"!analyze -v; q\" > \(Self.shellQuoted(stem + ".txt"))` "
                    + "(Windows) or `minidump-stackwalk \(Self.shellQuoted(event.path)) > \(Self.shellQuoted(stem + ".txt"))`"
            )
        }
        guard let data = FileManager.default.contents(atPath: event.path) else {
            return InboxItem(
                id: nextID, path: event.path, time: fileTime, latency: Self.latency(event), note: "cannot be read")
        }
        let text = ReportDecoder.decode(data)
        let identity = Self.fileIdentity(event.path)
        let hash = SignatureGenerator.stableHash(text)
        var earlier: OccurrenceRecord?
        if let history { earlier = (try? await history.firstOccurrence(contentHash: hash)) ?? nil }
        let qualify = qualifier.map { tree in
            { @Sendable (method: String, file: String?) in tree.qualify(method: method, file: file) }
        }
        let result = analyzer.analyze(
            text: text, file: event.path, timeIfUnstated: fileTime, logLines: evidence, qualify: qualify)
        let time = result.report.crashTime?.secondsSinceEpoch ?? fileTime
        var item = InboxItem(
            id: nextID, path: event.path, minidump: minidump(of: event), result: result, time: time,
            latency: Self.latency(event))
        var withdrawn = 0
        if let history, event.rewritten {
            // The first read was of a file still being written: this read replaces it.
            withdrawn = (try? await history.withdraw(reportPath: event.path)) ?? 0
        }
        if let history {
            let outcome = await history.record(result, reportPath: event.path, time: time, fileIdentity: identity)
            if case .duplicate = outcome { return nil }
            item.outcome = outcome
            if case .recorded(let groupID, _) = outcome {
                let group = (try? await history.group(id: groupID)) ?? nil
                item.groupCount = group?.count
                if let group {
                    // The newest occurrences cover the day before at the rates where escalation matters.
                    let times = ((try? await history.occurrences(groupID: groupID, limit: 500)) ?? []).map(\.time)
                    item.rate = CrashGroupRate(occurrenceTimes: times, firstSeen: group.firstSeen, at: time)
                }
                let origin = history.origin
                item.elsewhere = ((try? await history.sightings(groupID: groupID)) ?? []).filter {
                    $0.host != origin.host || $0.realm != origin.realm
                }
                if let previous = earlier, let previousID = previous.id {
                    item.note =
                        "identical text to occurrence \(previousID) (\((previous.reportPath as NSString).lastPathComponent)): the same crash again"
                }
            }
        }
        if event.rewritten {
            item.replacesEarlierRead = true
            item.note = [
                item.note,
                "read again: the file was written to after it was first read\(withdrawn > 0 ? " (that read is replaced)" : "")",
            ]
            .compactMap { $0 }.joined(separator: "; ")
        }
        item.latency = Self.latency(event)
        return item
    }

    /// A path as one shell word, safe to paste: `'…'` with `'` written as `'\''`.
    public static func shellQuoted(_ path: String) -> String {
        if !path.isEmpty, path.allSatisfy({ $0.isLetter || $0.isNumber || "/._-+:@%".contains($0) }),
            path.allSatisfy(\.isASCII)
        {
            return path
        }
        return "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `device:inode`: a renamed or touched file is the same file.
    static func fileIdentity(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return "\(info.st_dev):\(info.st_ino)"
    }

    private func minidump(of event: CrashFileEvent) -> String? {
        if case .report(let dump) = event.kind { return dump }
        return nil
    }

    static func latency(_ event: CrashFileEvent) -> Double {
        max(0, Date().timeIntervalSince1970 - event.lastWrite)
    }
}
