import CrashwatchKit
public import Foundation

/// Turns a crash that left no report into one: finds the core, runs gdb on it (time-limited), and writes the report
/// into the crash folder.
///
/// Whatever fails — no core, no gdb, a timeout — the crash is still written, with what went wrong and the command to
/// take the stack by hand.
public struct CoreCapture: Sendable {
    public var locator: CoreLocator
    public var gdb: Gdb
    public var crashFolder: String
    /// The server binary as configured (`server-binary`); otherwise the crashed process's own executable.
    public var serverBinary: String?

    public init(locator: CoreLocator, gdb: Gdb, crashFolder: String, serverBinary: String? = nil) {
        self.locator = locator
        self.gdb = gdb
        self.crashFolder = crashFolder
        self.serverBinary = serverBinary
    }

    /// What is known of a crashed run.
    public struct Crash: Sendable {
        public var processes: [ProcessSnapshot]
        public var startedAt: Date
        public var signal: Int32
        public var buildLine: String?
        public var lastOutput: [String]
        public var fallbackPID: Int32
        /// Where the server was started, for a relative core pattern when it died before it was ever seen.
        public var workingDirectory: String?

        public init(
            processes: [ProcessSnapshot], startedAt: Date, signal: Int32, buildLine: String?, lastOutput: [String],
            fallbackPID: Int32, workingDirectory: String? = nil
        ) {
            self.workingDirectory = workingDirectory
            self.processes = processes
            self.startedAt = startedAt
            self.signal = signal
            self.buildLine = buildLine
            self.lastOutput = lastOutput
            self.fallbackPID = fallbackPID
        }
    }

    public struct Captured: Sendable {
        public var path: String?
        public var report: CoreReport
        /// Set when the stack could not be taken: what the inbox shows.
        public var problem: String?
        public var text: String { report.text }
    }

    public func capture(_ crash: Crash) async -> Captured {
        // A server that died before its first look is known only by where it ran: PID and name match any.
        let processes =
            crash.processes.contains { !$0.isShell }
            ? crash.processes
            : crash.processes
                + [
                    ProcessSnapshot(
                        pid: 0, command: "",
                        workingDirectory: crash.workingDirectory ?? FileManager.default.currentDirectoryPath)
                ]
        let found = await locator.locate(processes: processes, since: crash.startedAt)
        var process: ProcessSnapshot?
        var report = CoreReport(
            kind: .crash, time: CivilTime(secondsSinceEpoch: WallClock.localSeconds()), pid: crash.fallbackPID)
        report.signal = crash.signal
        report.buildLine = crash.buildLine
        report.lastOutput = Array(crash.lastOutput.suffix(60))
        var problem: String?
        switch found {
        case .core(let path, let owner):
            process = owner
            report.core = path
        case .unavailable(let why):
            problem = "no core: \(why.reason)"
            report.notes.append("no core: \(why.reason); to turn cores on: \(why.howToEnable)")
            process = crash.processes.first { !$0.isShell } ?? crash.processes.first
        }
        if let process { report.pid = process.pid }
        if let core = report.core {
            problem = await symbolise(core: core, process: process, into: &report) ?? problem
            let kept = keep(core: core, pid: report.pid, program: report.binary)
            report.core = kept
            report.byHand = report.byHand?.replacingOccurrences(of: core, with: kept)
        } else {
            report.binary = serverBinary ?? process?.executable
        }
        let path = try? report.write(into: crashFolder)
        return Captured(path: path, report: report, problem: problem)
    }

    /// A core found in a watched cores folder (no process seen alive): its report, written into the crash folder.
    public func capture(core: String) async -> Captured {
        var report = CoreReport(kind: .crash, time: CivilTime(secondsSinceEpoch: WallClock.localSeconds()), pid: 0)
        report.core = core
        let problem = await symbolise(core: core, process: nil, into: &report)
        if report.signal == nil, let text = report.gdbText { report.signal = CrashSignal.number(in: text) }
        let path = try? report.write(into: crashFolder)
        return Captured(path: path, report: report, problem: problem)
    }

    /// Runs gdb on `core` into `report`; returns what went wrong, if anything.
    private func symbolise(core: String, process: ProcessSnapshot?, into report: inout CoreReport) async -> String? {
        var binary = serverBinary ?? process?.executable
        // A server that died before it was seen, or seen only as its `sh -c` wrapper: the core names its program.
        if serverBinary == nil, process.map({ $0.isShell || $0.pid == 0 || $0.executable == nil }) ?? true {
            let owner = await gdb.coreOwner(core: core)
            binary = owner.executable ?? binary
            if let pid = owner.pid { report.pid = pid }
        }
        report.binary = binary
        guard gdb.resolvedPath() != nil else {
            let failure = Gdb.Failure.notInstalled(gdb.executable)
            report.notes.append(failure.description)
            report.byHand = Self.shellLine(gdb.coreArguments(binary: binary ?? "WORLDSERVER", core: core))
            return failure.description
        }
        guard let binary else {
            let problem = "the server binary is unknown: set server-binary in crashwatch.toml"
            report.notes.append(problem)
            report.byHand = Self.shellLine(gdb.coreArguments(binary: "WORLDSERVER", core: core))
            return problem
        }
        report.byHand = Self.shellLine(gdb.coreArguments(binary: binary, core: core))
        switch await gdb.backtrace(binary: binary, core: core) {
        case .success(let output):
            report.gdbText = output.text
            report.notes += output.notes
            return nil
        case .failure(let failure):
            report.notes.append(failure.description)
            return failure.description
        }
    }

    /// A core the kernel names without the PID (`core`) is overwritten by the next crash: it moves into the crash
    /// folder's `cores/`, named by program and PID, so each report keeps its own.
    func keep(core: String, pid: Int32, program: String?) -> String {
        let name = (core as NSString).lastPathComponent
        guard pid == 0 || !name.contains("\(pid)") else { return core }
        let folder = "\(crashFolder)/cores"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let tag = pid > 0 ? "\(pid)" : "\(WallClock.localSeconds())"
        let target = "\(folder)/\(name).\(program.map { ($0 as NSString).lastPathComponent } ?? "server").\(tag)"
        guard (try? FileManager.default.moveItem(atPath: core, toPath: target)) != nil else { return core }
        return target
    }

    /// The stacks of a frozen server, taken with gdb attached before it is stopped.
    public func captureFreeze(pid: Int32, buildLine: String?, lastOutput: [String]) async -> Captured {
        var report = CoreReport(
            kind: .freeze, time: CivilTime(secondsSinceEpoch: WallClock.localSeconds()), pid: pid)
        report.binary = serverBinary ?? ProcessSnapshot.take(pid)?.executable
        report.buildLine = buildLine
        report.lastOutput = Array(lastOutput.suffix(60))
        report.byHand = Self.shellLine(gdb.attachArguments(pid: pid))
        var problem: String?
        switch await gdb.attach(pid: pid) {
        case .success(let output):
            report.gdbText = output.text
            report.notes += output.notes
        case .failure(let failure):
            problem = failure.description
            report.notes.append(failure.description)
        }
        let path = try? report.write(into: crashFolder)
        return Captured(path: path, report: report, problem: problem)
    }

    /// `arguments` quoted for a shell, to paste.
    public static func shellLine(_ arguments: [String]) -> String { ShellWords.line(arguments) }
}
