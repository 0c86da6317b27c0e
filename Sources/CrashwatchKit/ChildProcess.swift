public import Foundation

/// Runs a short-lived command to its end — git, a fix provider, a benchmark's reference — and collects what it
/// printed.
///
/// posix_spawn and waitpid rather than Foundation's `Process`, whose exit monitoring was seen to leave a caller
/// waiting forever when many children start at once. The child gets its own process group, so a timeout stops it and
/// everything it started (TERM, two seconds, KILL), not just a `sh -c` wrapper. Both outputs are read on their own
/// threads, so a chatty child cannot block on a full pipe. Long-lived children in their own session (the worldserver,
/// builds) are `RunningProcess`'s job.
public enum ChildProcess {
    /// What a finished child left.
    public struct Completed: Sendable {
        public var status: Int32
        public var output: Data
        public var errors: Data
        /// Whether the child was stopped for outliving its timeout.
        public var timedOut: Bool

        public var succeeded: Bool { status == 0 && !timedOut }
        public var outputText: String { String(decoding: output, as: UTF8.self) }
        public var errorText: String { String(decoding: errors, as: UTF8.self) }
    }

    /// A child that could not be started.
    public struct LaunchError: Error, Sendable, CustomStringConvertible {
        public var command: String
        public var reason: String
        public var description: String { "cannot run \(command): \(reason)" }
    }

    /// Runs `arguments` (looked up in `PATH`), feeding it `input`.
    public static func run(
        _ arguments: [String], input: Data? = nil, timeout: Duration? = nil
    ) throws(LaunchError) -> Completed {
        let command = arguments.first ?? "?"
        var inPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        // Close-on-exec: a child another thread starts at the same moment must not inherit these pipes, or it would
        // hold them open (no end-of-file here) for as long as it lives. The child gets its ends through dup2 only.
        guard Pipes.make(&inPipe), Pipes.make(&outPipe), Pipes.make(&errPipe) else {
            throw LaunchError(command: command, reason: String(cString: strerror(errno)))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if input == nil {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        } else {
            posix_spawn_file_actions_adddup2(&actions, inPipe[0], 0)
        }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in inPipe + outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let words = ["/usr/bin/env"] + arguments
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, words[0], &actions, &attributes, argv, environ)
        close(inPipe[0])
        close(outPipe[1])
        close(errPipe[1])
        guard spawned == 0 else {
            for fd in [inPipe[1], outPipe[0], errPipe[0]] { close(fd) }
            throw LaunchError(command: command, reason: String(cString: strerror(spawned)))
        }
        let output = PipeCollector(outPipe[0])
        let errors = PipeCollector(errPipe[0])
        if let input {
            // A child may exit without reading its input: writing would then raise SIGPIPE and kill crashwatch.
            // Ignoring it process-wide turns that into an EPIPE error here, which only means "it did not read".
            signal(SIGPIPE, SIG_IGN)
            let writer = FileHandle(fileDescriptor: inPipe[1], closeOnDealloc: true)
            try? writer.write(contentsOf: input)
            try? writer.close()
        } else {
            close(inPipe[1])
        }
        var status: Int32 = 0
        var timedOut = false
        if let timeout {
            let deadline = ContinuousClock.now + timeout
            while waitpid(pid, &status, WNOHANG) == 0 {
                if ContinuousClock.now >= deadline {
                    timedOut = true
                    stopGroup(pid)
                    break
                }
                usleep(10_000)
            }
        }
        if !timedOut {
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        }
        // Whatever the child left running in its group would hold the pipes open and outlive the run: stop it.
        kill(-pid, SIGKILL)
        let exit = status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Completed(status: exit, output: output.wait(), errors: errors.wait(), timedOut: timedOut)
    }

    /// TERM to the child's group, KILL after two seconds; the child itself is reaped by the caller.
    private static func stopGroup(_ pid: pid_t) {
        kill(-pid, SIGTERM)
        let grace = ContinuousClock.now + .seconds(2)
        var status: Int32 = 0
        while ContinuousClock.now < grace {
            if waitpid(pid, &status, WNOHANG) == pid {
                kill(-pid, SIGKILL)
                return
            }
            usleep(10_000)
        }
        kill(-pid, SIGKILL)
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    }
}

/// Collects everything a pipe delivers, on a background thread.
private final class PipeCollector: @unchecked Sendable {
    // Written by the reading thread and read only after `wait()` has seen it finish (the semaphore orders them).
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ fd: Int32) {
        Thread.detachNewThread { [self] in
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
