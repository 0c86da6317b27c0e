import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The reference command a benchmark runs beside crashwatch in the same invocation (`grep -c`, `cp`, `wc -l`).
enum ReferenceCommand {
    /// Runs a command to its end; returns its wall time and peak RSS (from the children's rusage).
    static func run(_ arguments: [String]) throws -> (seconds: Double, maxRSSKiB: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        // Not /dev/null: GNU grep notices it and stops at the first match, which would flatter it.
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        _ = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let seconds = (ContinuousClock.now - start).seconds
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return (seconds, Int(usage.ru_maxrss))
    }
}
