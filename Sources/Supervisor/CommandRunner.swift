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

    /// Stops the run's processes that left its group (`setsid`, a daemon's double fork) and still live: TERM, then KILL
    /// after `grace`.
    ///
    /// A PID now used by another process is left alone.
    static func stopEscaped(_ relatives: [ProcessSnapshot.Relative], group: Int32, grace: Duration) async {
        let escaped = relatives.filter { $0.group != group && $0.snapshot.pid != group }
        var alive = escaped.filter { ProcessSnapshot.isAlive($0.snapshot.pid, startTime: $0.startTime) }
        guard !alive.isEmpty else { return }
        for relative in alive { kill(relative.snapshot.pid, SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while !alive.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
            for relative in alive { reap(relative.snapshot.pid) }
            alive = alive.filter { ProcessSnapshot.isAlive($0.snapshot.pid, startTime: $0.startTime) }
        }
        for relative in alive { kill(relative.snapshot.pid, SIGKILL) }
        try? await Task.sleep(for: .milliseconds(20))
        for relative in alive { reap(relative.snapshot.pid) }
    }

    /// Collects an orphan that became crashwatch's child (crashwatch is a subreaper under `loop`), so it leaves no
    /// zombie; a process that is not crashwatch's child is untouched.
    private static func reap(_ pid: Int32) {
        var status: Int32 = 0
        _ = waitpid(pid, &status, WNOHANG)
    }

    /// - Parameter onLine: each output line as it comes (standard error lines flagged), e.g. for a pane.
    public func run(_ spec: ProcessSpec, onLine: @escaping @Sendable (String, Bool) -> Void = { _, _ in }) async throws
        -> Outcome
    {
        let tail = BoundedLineBuffer(capacity: keepLines)
        // Inherited by everything the run starts: what escapes its group is still found by it afterwards.
        let runID = UUID().uuidString
        var spec = spec
        spec.environment["CRASHWATCH_RUN"] = runID
        let process = try RunningProcess.start(spec) { line, isError in
            tail.append(line)
            onLine(line, isError)
        }
        let start = ContinuousClock.now
        let startedAt = Date()
        var lastCPU = process.cpuTicks()
        var lastProgress = ContinuousClock.now
        var seen: [Int32: ProcessSnapshot] = [:]
        // Everything the run started, also what left its process group, with start times against PID reuse.
        var relatives: [Int32: ProcessSnapshot.Relative] = [:]
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
                await Self.stopEscaped(
                    Array(relatives.values) + ProcessSnapshot.marked("CRASHWATCH_RUN=\(runID)"), group: process.pid,
                    grace: stopGrace)
                return outcome(done, duration)
            }
            let now = ContinuousClock.now
            if now >= nextLook {
                for relative in ProcessSnapshot.family(ofGroup: process.pid, known: Set(relatives.keys)) {
                    relatives[relative.snapshot.pid] = relative
                    if relative.group == process.pid { seen[relative.snapshot.pid] = relative.snapshot }
                }
                // Often at first, when a server that crashes at start-up would otherwise never be seen.
                nextLook = now + (now - start < .seconds(3) ? .milliseconds(50) : .milliseconds(500))
            }
            if Task.isCancelled {
                let ended = await process.stop(grace: stopGrace)
                await Self.stopEscaped(
                    Array(relatives.values) + ProcessSnapshot.marked("CRASHWATCH_RUN=\(runID)"), group: process.pid,
                    grace: stopGrace)
                return outcome(ended, now - start)
            }
            if let timeout, now - start >= timeout {
                await process.stop(grace: stopGrace)
                await Self.stopEscaped(
                    Array(relatives.values) + ProcessSnapshot.marked("CRASHWATCH_RUN=\(runID)"), group: process.pid,
                    grace: stopGrace)
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
                    await Self.stopEscaped(
                        Array(relatives.values) + ProcessSnapshot.marked("CRASHWATCH_RUN=\(runID)"), group: process.pid,
                        grace: stopGrace)
                    return outcome(.frozen, now - start)
                }
            }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
