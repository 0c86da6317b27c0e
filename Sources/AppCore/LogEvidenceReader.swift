public import CrashAnalysis
import CrashwatchKit
import LogWatch
import SystemPackage

/// Reads the timestamped lines of log files as evidence for crash analysis (lines without a timestamp cannot be
/// placed before or after a crash, so they are left out).
public enum LogEvidenceReader {
    public static func read(_ sources: [LogSourceSpec], maxLinesPerFile: Int = 200_000) -> [LogEvidenceLine] {
        var lines: [LogEvidenceLine] = []
        for source in sources {
            let follower = FileFollower(path: FilePath(source.path), startAt: .tail(bytes: 32 * 1024 * 1024))
            var classifier = LineClassifier()
            var kept: [LogEvidenceLine] = []
            while true {
                let update = follower.poll()
                for raw in update.lines {
                    let line = classifier.classify(raw)
                    guard let time = line.timestamp else { continue }
                    kept.append(
                        LogEvidenceLine(
                            time: time.secondsSinceEpoch, source: source.title, level: line.level,
                            text: String(line.message)))
                }
                if kept.count > maxLinesPerFile { kept.removeFirst(kept.count - maxLinesPerFile) }
                guard update.hasMore else { break }
            }
            lines += kept
        }
        return lines.sorted { $0.time < $1.time }
    }
}
