import CoreDumps
public import CrashwatchKit
import Foundation

/// A started child process in its own session (so signals for the whole group reach the server and its children
/// and none reach crashwatch), with its output delivered line by line.
///
/// posix_spawn with `POSIX_SPAWN_SETSID` and `waitpid` rather than Foundation's `Process`, which cannot start a new
/// session or signal a process group.
public final class RunningProcess: @unchecked Sendable {
    // The mutable fields below are guarded by `lock`: output threads write them, the owner reads them.
    private let lock = NSLock()
    public let pid: pid_t
    private var _lastOutput = ContinuousClock.now
    private var _termination: Termination?
    private var readers: [Thread] = []

    public struct SpawnError: Error, Sendable, CustomStringConvertible {
        public var command: String
        public var code: Int32
        public var description: String { "cannot start `\(command)`: \(String(cString: strerror(code)))" }
    }

    /// Starts `spec`; `onLine` receives each output line (true for standard error) on a background thread.
    public static func start(_ spec: ProcessSpec, onLine: @escaping @Sendable (String, Bool) -> Void) throws
        -> RunningProcess
    {
        var outPipe: [Int32] = [0, 0], errPipe: [Int32] = [0, 0]
        // Close-on-exec, as in ChildProcess: no other child may inherit the server's pipes.
        guard Pipes.make(&outPipe), Pipes.make(&errPipe) else {
            throw SpawnError(command: spec.command, code: errno)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        for fd in outPipe + errPipe { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26+) is hidden behind _GNU_SOURCE in the headers Swift imports; its value is 0x80.
        posix_spawnattr_setflags(&attributes, Int16(0x80))
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in spec.environment { environment[key] = value }
        // The working directory through the shell: posix_spawn_file_actions_addchdir_np is hidden like SETSID.
        var command =
            spec.workingDirectory.map { "cd '\($0.replacingOccurrences(of: "'", with: "'\\''"))' && \(spec.command)" }
            ?? spec.command
        // RLIMIT_CORE in the child only, through the shell that runs the command anyway (posix_spawn has no
        // attribute for limits): as high as the hard limit allows.
        if spec.allowCoreDumps {
            command = "ulimit -c unlimited 2>/dev/null || ulimit -c \"$(ulimit -H -c)\" 2>/dev/null; \(command)"
        }
        let words: [String] = ["/bin/sh", "-c", command]
        let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard status == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw SpawnError(command: spec.command, code: status)
        }
        let process = RunningProcess(pid: pid)
        process.read(outPipe[0], isError: false, onLine: onLine)
        process.read(errPipe[0], isError: true, onLine: onLine)
        return process
    }

    private init(pid: pid_t) {
        self.pid = pid
    }

    private func read(_ fd: Int32, isError: Bool, onLine: @escaping @Sendable (String, Bool) -> Void) {
        let thread = Thread { [weak self] in
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                self?.lock.withLock { self?._lastOutput = .now }
                pending += buffer[0..<count]
                while let newline = pending.firstIndex(of: 0x0A) {
                    onLine(String(decoding: pending[..<newline], as: UTF8.self), isError)
                    pending.removeSubrange(...newline)
                }
            }
            if !pending.isEmpty { onLine(String(decoding: pending, as: UTF8.self), isError) }
            close(fd)
        }
        thread.start()
        readers.append(thread)
    }

    /// When the process last wrote anything.
    public var lastOutput: ContinuousClock.Instant { lock.withLock { _lastOutput } }

    /// The ending, if it has ended (never blocks).
    public func poll() -> Termination? {
        if let done = lock.withLock({ _termination }) { return done }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return nil }
        let termination: Termination
        if status & 0x7F == 0 {
            termination = .exited((status >> 8) & 0xFF)
        } else {
            termination = .signaled(status & 0x7F)
        }
        lock.withLock { _termination = termination }
        return termination
    }

    /// CPU time used so far (user + system clock ticks, from /proc), to tell a busy server from a frozen one.
    public func cpuTicks() -> Int? {
        // After the command name: state is field 3; utime and stime are fields 14 and 15.
        guard let fields = ProcessSnapshot.statFields(pid), fields.count > 13, let user = Int(fields[11]),
            let system = Int(fields[12])
        else { return nil }
        return user + system
    }

    /// Whether no process is left in the child's process group (the `sh -c` wrapper, the server it started, and
    /// whatever those left running in the background).
    ///
    /// Zombies do not count: a child left behind is reparented to PID 1, which in a container may never reap it.
    public var groupIsEmpty: Bool {
        if kill(-pid, 0) != 0 && errno == ESRCH { return true }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
        for entry in entries where entry.first?.isNumber == true {
            // After the command name: state, parent, process group.
            guard let id = Int32(entry), let fields = ProcessSnapshot.statFields(id) else { continue }
            if fields.count > 2, fields[0] != "Z", Int32(fields[2]) == pid { return false }
        }
        return true
    }

    /// TERM to the whole process group, then KILL after `grace`, until the group is empty: the wrapper ending is not
    /// enough, a server that ignores TERM or a child it left behind is stopped too.
    ///
    /// Returns how the child itself ended.
    @discardableResult
    public func stop(grace: Duration) async -> Termination {
        if let done = poll(), groupIsEmpty { return done }
        kill(-pid, SIGTERM)
        let deadline = ContinuousClock.now + grace
        while ContinuousClock.now < deadline {
            if let done = poll(), groupIsEmpty { return done }
            try? await Task.sleep(for: .milliseconds(10))
        }
        kill(-pid, SIGKILL)
        // KILL cannot be ignored; the bound only guards against a process stuck in the kernel.
        let killDeadline = ContinuousClock.now + .seconds(10)
        while true {
            if let done = poll(), groupIsEmpty || ContinuousClock.now > killDeadline { return done }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }
}
