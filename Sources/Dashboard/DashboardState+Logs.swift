import CrashAnalysis
import CrashwatchKit
import LogWatch

extension DashboardState {
    /// Lines still held by the log panes that can be placed in time (their own time, or when they were read live),
    /// oldest first, for correlating a crash with what preceded it.
    func recentEvidence() -> [LogEvidenceLine] {
        var lines: [LogEvidenceLine] = []
        for pane in panes {
            for line in pane.buffer.all.suffix(20_000) {
                guard let time = line.placedSeconds else { continue }
                lines.append(
                    LogEvidenceLine(
                        time: time, source: pane.title, level: line.level,
                        text: String(line.message)))
            }
        }
        return lines.sorted { $0.time < $1.time }
    }
}
