import CrashwatchKit
import Foundation

/// The reference command a benchmark runs beside crashwatch in the same invocation (`grep -c`, `cp`, `wc -l`).
enum ReferenceCommand {
    /// Runs a command to its end; returns its wall time and peak RSS (from the children's rusage).
    static func run(_ arguments: [String]) throws -> (seconds: Double, maxRSSKiB: Int, output: String) {
        // Its output goes to a pipe, not /dev/null: GNU grep notices /dev/null and stops at the first match, which
        // would flatter it.
        let start = ContinuousClock.now
        let completed = try ChildProcess.run(arguments)
        let seconds = (ContinuousClock.now - start).seconds
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return (seconds, Int(usage.ru_maxrss), completed.outputText)
    }
}
