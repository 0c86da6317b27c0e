/// A command to run: the worldserver, a build, a test suite.
public struct ProcessSpec: Sendable, Equatable {
    /// Run with `/bin/sh -c`, so configs can use the shell's quoting and `&&`.
    public var command: String
    public var workingDirectory: String?
    /// Added to crashwatch's own environment.
    public var environment: [String: String]
    /// Raise the core size limit in the child (to the hard limit), so a crash leaves a core to symbolise.
    public var allowCoreDumps = false

    public init(command: String, workingDirectory: String? = nil, environment: [String: String] = [:]) {
        self.command = command
        self.workingDirectory = workingDirectory
        self.environment = environment
    }
}

/// How a process ended.
///
/// A crash is a result, not an error.
public enum Termination: Sendable, Equatable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    /// Stopped by crashwatch after its time limit.
    case timedOut
    /// Stopped by crashwatch: no output and no CPU progress for the freeze time.
    case frozen

    public var description: String {
        switch self {
        case .exited(let code): "exited with code \(code)"
        case .signaled(let signal):
            "killed by signal \(signal)\(signal == 11 ? " (SIGSEGV)" : signal == 6 ? " (SIGABRT)" : "")"
        case .timedOut: "stopped after its time limit"
        case .frozen: "stopped: frozen (no output, no CPU progress)"
        }
    }

    public var isSuccess: Bool { self == .exited(0) }
}
