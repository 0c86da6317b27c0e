public import CoreDumps
import CrashwatchKit
public import Foundation

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
    /// Called with the frozen process (the server, not its shell wrapper) before a frozen run is stopped: the moment
    /// to take its stacks.
    public var onFreeze: (@Sendable (_ pid: Int32) async -> Void)?

    public init(timeout: Duration? = .seconds(30 * 60), freezeAfter: Duration? = nil) {
        self.timeout = timeout
        self.freezeAfter = freezeAfter
    }

    public struct Outcome: Sendable {
        public var termination: Termination
        public var lastLines: [String]
        public var duration: Duration
        /// The processes seen in the run's group (the shell wrapper, the server, what it started), as last seen
        /// alive: after a crash they are gone, and a core is found by their PIDs, names and folders.
        public var processes: [ProcessSnapshot] = []
        public var startedAt = Date()
        /// The PID crashwatch started (the shell wrapper, or the server when the shell replaced itself with it).
        public var pid: Int32 = 0

        /// The crash signal the run died of: its own, or the one its shell wrapper reports as 128 + N.
        public var crashSignal: Int32? {
            switch termination {
            case .signaled(let signal): CrashSignal.isCrash(signal) ? signal : nil
            case .exited(let status): CrashSignal.fromShellStatus(status)
            default: nil
            }
        }
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
        let startedAt = Date()
        var lastCPU = process.cpuTicks()
        var lastProgress = ContinuousClock.now
        var seen: [Int32: ProcessSnapshot] = [:]
        var nextLook = start
        func outcome(_ termination: Termination, _ duration: Duration) -> Outcome {
            var outcome = Outcome(termination: termination, lastLines: tail.lines, duration: duration)
            outcome.processes = seen.values.sorted { $0.pid < $1.pid }
            outcome.startedAt = startedAt
            outcome.pid = process.pid
            return outcome
        }
        while true {
            if let done = process.poll() {
                // Let the readers deliver what was still in the pipes.
                try? await Task.sleep(for: .milliseconds(20))
                let duration = ContinuousClock.now - start
                // Whatever it left running in its group (`cmd &`, nohup) is stopped: nothing outlives a run.
                if !process.groupIsEmpty { await process.stop(grace: stopGrace) }
                return outcome(done, duration)
            }
            let now = ContinuousClock.now
            if now >= nextLook {
                for member in ProcessSnapshot.members(ofGroup: process.pid) { seen[member.pid] = member }
                // Often at first, when a server that crashes at start-up would otherwise never be seen.
                nextLook = now + (now - start < .seconds(3) ? .milliseconds(50) : .milliseconds(500))
            }
            if Task.isCancelled {
                let ended = await process.stop(grace: stopGrace)
                return outcome(ended, now - start)
            }
            if let timeout, now - start >= timeout {
                await process.stop(grace: stopGrace)
                return outcome(.timedOut, now - start)
            }
            if let freezeAfter {
                let cpu = process.cpuTicks()
                if cpu != lastCPU || process.lastOutput > lastProgress {
                    lastCPU = cpu
                    lastProgress = max(process.lastOutput, now)
                }
                if now - lastProgress >= freezeAfter, now - process.lastOutput >= freezeAfter {
                    if let onFreeze {
                        let members = ProcessSnapshot.members(ofGroup: process.pid)
                        await onFreeze((members.first { !$0.isShell } ?? members.first)?.pid ?? process.pid)
                    }
                    await process.stop(grace: stopGrace)
                    return outcome(.frozen, now - start)
                }
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
