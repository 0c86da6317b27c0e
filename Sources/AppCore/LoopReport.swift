import Foundation
public import Supervisor

/// The Markdown report of a supervised loop run, written at its end by `loop --headless`, `demo --headless` and the
/// dashboard alike.
public enum LoopReport {
    public static func markdown(reason: CrashLoop.StopReason, events: [CrashLoop.Event]) -> String {
        var report =
            "# crashwatch loop report\n\n**Result:** \(reason)\n\n| iteration | step | detail |\n|---|---|---|\n"
        for event in events {
            let detail = event.detail.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(
                of: "\n", with: " ")
            report += "| \(event.iteration) | \(event.step.rawValue) | \(detail) |\n"
        }
        return report
    }

    /// Writes the report to `path`; the error says why it could not be written.
    public static func write(reason: CrashLoop.StopReason, events: [CrashLoop.Event], to path: String) throws {
        try markdown(reason: reason, events: events).write(toFile: path, atomically: true, encoding: .utf8)
    }
}
