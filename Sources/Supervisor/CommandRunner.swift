import CrashwatchKit
import Foundation

/// Runs a command to its end under a time limit (and, for the server, a freeze watch), keeping the last lines of its
/// output.
///
/// Build and test commands default to 30 minutes.
public struct CommandRunner: Sendable {
    public var timeout: Duration?
    /// A process with no output and no CPU progress for this long is frozen and stopped.
    public var freezeAfter: Duration?
    public var stopGrace: Duration = .seconds(5)
    public var keepLines = 200

    public init(timeout: Duration? = .seconds(30 * 60), freezeAfter: Duration? = nil) {
        self.timeout = timeout
        self.freezeAfter = freezeAfter
    }

    public struct Outcome: Sendable {
        public var termination: Termination
        public var lastLines: [String]
        public var duration: Duration
    }

    /// - Parameter onLine: each output line as it comes (standard error lines flagged), e.g. for a pane.
    public func run(_ spec: ProcessSpec, onLine: @escaping @Sendable (String, Bool) -> Void = { _, _ in }) async throws
        -> Outcome
    {
        let tail = BoundedLineBuffer(capacity: keepLines)
        let process = try RunningProcess.start(spec) { line, isError in
            tail.append(line)
            onLine(line, isError)
        }
        let start = ContinuousClock.now
        var lastCPU = process.cpuTicks()
        var lastProgress = ContinuousClock.now
        while true {
            if let done = process.poll() {
                // Let the readers deliver what was still in the pipes.
                try? await Task.sleep(for: .milliseconds(20))
                let duration = ContinuousClock.now - start
                // Whatever it left running in its group (`cmd &`, nohup) is stopped: nothing outlives a run.
                if !process.groupIsEmpty { await process.stop(grace: stopGrace) }
                return Outcome(termination: done, lastLines: tail.lines, duration: duration)
            }
            let now = ContinuousClock.now
            if Task.isCancelled {
                let ended = await process.stop(grace: stopGrace)
                return Outcome(termination: ended, lastLines: tail.lines, duration: now - start)
            }
            if let timeout, now - start >= timeout {
                await process.stop(grace: stopGrace)
                return Outcome(termination: .timedOut, lastLines: tail.lines, duration: now - start)
            }
            if let freezeAfter {
                let cpu = process.cpuTicks()
                if cpu != lastCPU || process.lastOutput > lastProgress {
                    lastCPU = cpu
                    lastProgress = max(process.lastOutput, now)
                }
                if now - lastProgress >= freezeAfter, now - process.lastOutput >= freezeAfter {
                    await process.stop(grace: stopGrace)
                    return Outcome(termination: .frozen, lastLines: tail.lines, duration: now - start)
                }
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
