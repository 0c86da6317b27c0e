public import Foundation

/// Runs a short-lived command to its end — git, a fix provider, a benchmark's reference — and collects what it printed.
///
/// Both outputs are read on their own threads, so a chatty child cannot block on a full pipe; a child that outlives its
/// `timeout` is terminated, then killed.
///
/// Long-lived children that need their own process group (the worldserver, builds) are `RunningProcess`'s job.
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

    /// Runs `arguments` (looked up in `PATH`), feeding it `input`, in `directory` when given.
    public static func run(
        _ arguments: [String], input: Data? = nil, directory: String? = nil, timeout: Duration? = nil
    ) throws(LaunchError) -> Completed {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch {
            throw LaunchError(command: arguments.first ?? "?", reason: "\(error)")
        }
        let output = PipeCollector(stdout.fileHandleForReading)
        let errors = PipeCollector(stderr.fileHandleForReading)
        if let input {
            // A child may exit without reading its input: writing would then raise SIGPIPE and kill crashwatch.
            // Ignoring it process-wide turns that into an EPIPE error here, which only means "it did not read".
            signal(SIGPIPE, SIG_IGN)
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
        }
        var timedOut = false
        if let timeout {
            let deadline = ContinuousClock.now + timeout
            while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
            if process.isRunning {
                timedOut = true
                process.terminate()
                let grace = ContinuousClock.now + .seconds(2)
                while process.isRunning, ContinuousClock.now < grace { usleep(10_000) }
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            }
        }
        let outputData = output.wait(), errorData = errors.wait()
        process.waitUntilExit()
        return Completed(status: process.terminationStatus, output: outputData, errors: errorData, timedOut: timedOut)
    }
}

/// Collects everything a pipe delivers, on a background thread.
private final class PipeCollector: @unchecked Sendable {
    // Written by the reading thread and read only after `wait()` has seen it finish (the semaphore orders them).
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
