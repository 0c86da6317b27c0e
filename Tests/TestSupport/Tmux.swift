import CrashwatchKit
import Foundation
public import Testing

/// Drives a program in a private tmux server: type keys, read the screen, wait for text.
///
/// Waiting always polls `capture-pane` until a condition holds or a deadline passes; a fixed sleep would make the
/// tests slow on fast machines and flaky on slow ones.
///
/// A class, so that its tmux server is stopped when the test that made it is done, whichever way it ended (a test
/// that failed half-way, or one without `defer { tmux.kill() }`, left its server and shell running for ten minutes).
public final class Tmux: Sendable {
    public init() {}

    deinit { kill() }

    public let socket = "crashwatch-test-\(UUID().uuidString.prefix(8))"
    public let session = "cw"

    public static func executable() -> String? {
        for folder in ["/usr/bin", "/usr/local/bin", "/bin"]
        where FileManager.default.isExecutableFile(atPath: "\(folder)/tmux") {
            return "\(folder)/tmux"
        }
        return nil
    }

    @discardableResult
    public func run(_ arguments: [String]) throws -> String {
        guard let tmux = Self.executable() else { throw TmuxMissing() }
        return try Self.spawn(tmux, ["tmux", "-L", socket] + arguments)
    }

    /// Runs a program to its end and returns what it printed.
    ///
    /// posix_spawn and waitpid rather than Foundation's `Process`, whose exit monitoring was seen here to leave the
    /// forking `tmux new-session` client unreaped and the caller waiting forever. Output goes to a file, not a pipe,
    /// because the tmux server that `new-session` forks inherits it and would hold a pipe open while it lives.
    public static func spawn(_ path: String, _ argv: [String]) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-out-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw SpawnFailed(program: path, code: spawned) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    public struct SpawnFailed: Error, CustomStringConvertible {
        public var program: String
        public var code: Int32
        public var description: String { "could not start \(program): \(String(cString: strerror(code)))" }
    }

    public struct TmuxMissing: Error, CustomStringConvertible {
        public var description: String { "tmux is not installed (apt-get install tmux); the end-to-end tests need it" }
    }

    /// Starts `command` in a new detached session of the given size, with a UTF-8 locale.
    ///
    /// The pane's TERM is tmux's `default-terminal` (`tmux-256color` or `screen`): tmux sets it after `-e`, so a
    /// command that needs another terminal names it itself (`TERM=xterm-256color crashwatch …`).
    public func start(_ command: String, width: Int = 120, height: Int = 40) throws {
        try run([
            "new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", "-e", "LANG=C.UTF-8", command,
        ])
    }

    public func sendKeys(_ keys: String...) throws {
        try run(["send-keys", "-t", session] + keys)
    }

    public func screen() throws -> String {
        try run(["capture-pane", "-p", "-t", session])
    }

    public func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Polls the screen until `condition` holds; fails the test with the last screen after `timeout`.
    @discardableResult
    public func waitFor(
        _ what: String, timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation,
        until condition: (String) -> Bool
    ) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        var last = ""
        while ContinuousClock.now < deadline {
            last = try screen()
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting for \(what); screen was:\n\(last)", sourceLocation: sourceLocation)
        throw TimedOut()
    }

    public struct TimedOut: Error {}

    public func waitFor(
        _ text: String, timeout: Duration = .seconds(30), sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws
    {
        try await waitFor("\"\(text)\"", timeout: timeout, sourceLocation: sourceLocation) { $0.contains(text) }
    }

    public func kill() {
        // kill-server alone was seen to answer 0 and leave the server and its session running (tmux 3.3a); the
        // session's end ends the server.
        _ = try? run(["kill-session", "-t", session])
        _ = try? run(["kill-server"])
    }
}
