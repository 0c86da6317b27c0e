public import CrashAnalysis
import CrashwatchKit
import Foundation
public import LogWatch
import SystemPackage

/// Reads log files as evidence for crash analysis: timestamped lines, placed by their time, and the runs of files
/// whose lines carry no time (TrinityCore's default `Server.log`), placed by run.
public enum LogEvidenceReader {
    public struct Evidence: Sendable {
        public var lines: [LogEvidenceLine] = []
        public var untimed: [UntimedLog] = []

        public init() {}
    }

    /// - Parameter runLines: how many of the last lines of each run of an untimed file are kept.
    public static func read(
        _ sources: [LogSourceSpec], reading: LineReading = .standard, maxLinesPerFile: Int = 200_000,
        runLines: Int = 200
    ) -> Evidence {
        var evidence = Evidence()
        for source in sources {
            let follower = FileFollower(path: FilePath(source.path), startAt: .tail(bytes: 32 * 1024 * 1024))
            var classifier = LineClassifier(reading: reading)
            var kept: [LogEvidenceLine] = []
            var runs: [[UntimedLog.Line]] = [[]]
            var untimedCount = 0
            while true {
                let update = follower.poll()
                for raw in update.lines {
                    let line = classifier.classify(raw)
                    guard let time = line.timestamp else {
                        untimedCount += 1
                        if UntimedLog.startsRun(line.message), !runs[runs.count - 1].isEmpty {
                            runs = Array(runs.suffix(2)) + [[]]
                        }
                        runs[runs.count - 1].append(UntimedLog.Line(level: line.level, text: String(line.message)))
                        if runs[runs.count - 1].count > runLines * 2 {
                            runs[runs.count - 1].removeFirst(runLines)
                        }
                        continue
                    }
                    kept.append(
                        LogEvidenceLine(
                            time: time.secondsSinceEpoch, source: source.title, level: line.level,
                            text: String(line.message)))
                }
                if kept.count > maxLinesPerFile { kept.removeFirst(kept.count - maxLinesPerFile) }
                guard update.hasMore else { break }
            }
            evidence.lines += kept
            // A file of mostly timed lines has untimed continuation lines only; those belong to the timed lines.
            if untimedCount > kept.count, let modified = modificationTime(source.path) {
                evidence.untimed.append(
                    UntimedLog(
                        source: source.title, runs: runs.map { Array($0.suffix(runLines)) }, lastWritten: modified))
            }
        }
        evidence.lines.sort { $0.time < $1.time }
        return evidence
    }

    /// The file's modification time on the `LogEvidenceLine.time` scale (local civil seconds): when a log was last
    /// written, or a report whose text states no time was written.
    public static func modificationTime(_ path: String) -> Int64? {
        guard let date = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else {
            return nil
        }
        return WallClock.localSeconds(date)
    }
}
