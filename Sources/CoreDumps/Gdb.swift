import CrashwatchKit
import Foundation

/// Runs gdb in batch mode — on a core, or attached to a live (frozen) process — under a time limit, and reads what
/// its warnings mean for the stack it printed.
public struct Gdb: Sendable {
    /// The gdb to run: a name looked up in `PATH`, or a path.
    public var executable: String
    public var timeout: Duration

    public init(executable: String = "gdb", timeout: Duration = .seconds(60)) {
        self.executable = executable
        self.timeout = timeout
    }

    /// What gdb printed, and what its warnings say about it.
    public struct Output: Sendable {
        public var text: String
        /// Plain sentences for the report and the inbox: a core from another binary, no symbols, a truncated core.
        public var notes: [String]
    }

    public enum Failure: Error, Sendable, CustomStringConvertible, Equatable {
        case notInstalled(String)
        case timedOut(Duration)
        case failed(status: Int32, message: String)

        public var description: String {
            switch self {
            case .notInstalled(let name): "gdb is not installed (`\(name)` is not in PATH): apt-get install gdb"
            case .timedOut(let limit): "gdb did not finish within \(limit.components.seconds) s and was stopped"
            case .failed(let status, let message): "gdb failed (status \(status)): \(message)"
            }
        }
    }

    /// The path gdb would be run from, or nil when it is not installed.
    public func resolvedPath() -> String? { ExecutableSearch.find(executable) }

    /// The commands run on a core: shared libraries, the signalled thread's stack (printed right after the signal
    /// line, the layout the crash parser knows), then every thread with its locals.
    static let coreCommands = [
        "set pagination off", "set width 0", "info sharedlibrary", "bt", "thread apply all bt full",
    ]

    /// The arguments for a core, also shown to the user as the command to run by hand.
    public func coreArguments(binary: String, core: String) -> [String] {
        [executable, "-batch", "-nx"] + Self.coreCommands.flatMap { ["-ex", $0] } + [binary, core]
    }

    /// The arguments to attach to `pid` and print every thread's stack (the process is detached, not killed).
    public func attachArguments(pid: Int32) -> [String] {
        [executable, "-batch", "-nx", "-p", "\(pid)"]
            + ["set pagination off", "set width 0", "thread apply all bt"].flatMap { ["-ex", $0] }
    }

    /// The command line of `run-under-gdb`.
    ///
    /// The server runs inside gdb, which prints the stacks when it dies of a signal; gdb follows the shell wrapper
    /// into the server it starts.
    public func runUnderArguments(shellCommand: String) -> [String] {
        [executable, "-batch", "-nx", "-return-child-result"]
            + [
                "set pagination off", "set width 0", "set follow-fork-mode child", "set print thread-events off",
                "run", "bt", "thread apply all bt full",
            ].flatMap { ["-ex", $0] } + ["--args", "/bin/sh", "-c", shellCommand]
    }

    /// The stacks in `core` of `binary`.
    public func backtrace(binary: String, core: String) async -> Result<Output, Failure> {
        var result = await run(coreArguments(binary: binary, core: core))
        // gdb 13 no longer says when the program itself has no symbols; the binary does.
        if case .success(var output) = result, ElfFile.hasDebugInformation(binary) == false,
            !output.notes.contains(Self.noSymbolsNote)
        {
            output.notes.append(Self.noSymbolsNote)
            result = .success(output)
        }
        return result
    }

    /// The process a core came from, read from the core alone: its PID (`info inferiors`) and its executable (the first
    /// mapped file, which is the program itself).
    ///
    /// For a crash whose process was never seen alive, or was seen only as its shell wrapper.
    public func coreOwner(core: String) async -> (pid: Int32?, executable: String?) {
        let arguments = [executable, "-batch", "-nx", "-c", core, "-ex", "info inferiors", "-ex", "info proc mappings"]
        guard resolvedPath() != nil,
            let completed = await BlockingWork.perform({ try? ChildProcess.run(arguments, timeout: timeout) })
        else { return (nil, nil) }
        return Self.owner(in: completed.outputText)
    }

    static func owner(in text: String) -> (pid: Int32?, executable: String?) {
        var pid: Int32?
        var executable: String?
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if pid == nil, let index = words.firstIndex(of: "process"), index + 1 < words.count {
                pid = Int32(words[index + 1])
            }
            // `0x55bbd33b8000 0x55bbd33b9000 0x1000 0x0 /srv/trinity/bin/worldserver`
            if executable == nil, words.count >= 5, words[0].hasPrefix("0x"), words[4].hasPrefix("/") {
                executable = words[4...].joined(separator: " ")
            }
        }
        return (pid, executable)
    }

    /// The stacks of the live process `pid`.
    public func attach(pid: Int32) async -> Result<Output, Failure> {
        await run(attachArguments(pid: pid))
    }

    func run(_ arguments: [String]) async -> Result<Output, Failure> {
        guard resolvedPath() != nil else { return .failure(.notInstalled(executable)) }
        let timeout = timeout
        let launched = await BlockingWork.perform {
            Result { () throws(ChildProcess.LaunchError) in try ChildProcess.run(arguments, timeout: timeout) }
        }
        guard case .success(let completed) = launched else { return .failure(.notInstalled(executable)) }
        if completed.timedOut { return .failure(.timedOut(timeout)) }
        let text = completed.outputText + (completed.errorText.isEmpty ? "" : "\n" + completed.errorText)
        guard text.contains("#0") || text.contains("Thread ") else {
            let message = text.split(separator: "\n").last(where: { !$0.isEmpty }).map(String.init) ?? "no output"
            return .failure(.failed(status: completed.status, message: message))
        }
        return .success(Output(text: text, notes: Self.notes(in: text)))
    }

    /// What gdb's own warnings mean, in words a user can act on.
    static func notes(in text: String) -> [String] {
        var notes: [String] = []
        if text.contains("core file may not match specified executable file") {
            notes.append(
                "gdb warns that the core may not match the binary (rebuilt since the crash?): frames may be wrong")
        }
        if text.contains("No symbol table is loaded") || text.contains("no debugging symbols found")
            || text.contains("(No debugging symbols found in")
        {
            notes.append(Self.noSymbolsNote)
        }
        if text.contains("is truncated: expected core file size") || text.contains("segment extending past end of file")
        {
            notes.append("the core is truncated (the disk or the core size limit was too small): the stack may be cut")
        }
        return notes
    }

    static let noSymbolsNote =
        "the server binary has no debugging symbols (stripped, or built as Release): build RelWithDebInfo for file and line numbers"
}
