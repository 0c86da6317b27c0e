import CrashwatchKit
public import Foundation

/// Finds the core a crashed server left, wherever the machine's `core_pattern` sends it: a file beside the server or in
/// a cores folder, systemd-coredump (through `coredumpctl dump`), or apport (`/var/crash`, through `apport-unpack`).
///
/// When there is none, it says why and the exact command that turns cores on.
public struct CoreLocator: Sendable {
    public var pattern: CorePattern?
    public var usesPID: Bool
    /// Where cores taken out of systemd-coredump or apport are written.
    public var extractFolder: String
    /// How long to wait for a core to appear (a collector behind a pipe writes it after the process is gone).
    public var waitLimit: Duration = .seconds(10)

    public init(pattern: CorePattern?, usesPID: Bool, extractFolder: String) {
        self.pattern = pattern
        self.usesPID = usesPID
        self.extractFolder = extractFolder
    }

    /// The machine's own settings.
    public static func current(extractFolder: String) -> CoreLocator {
        CoreLocator(pattern: CorePattern.current(), usesPID: CorePattern.currentUsesPID(), extractFolder: extractFolder)
    }

    /// Why no core could be had, and what turns cores on.
    public struct Unavailable: Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var howToEnable: String
        public var description: String { "\(reason) — \(howToEnable)" }
    }

    public enum Found: Sendable, Equatable {
        case core(path: String, process: ProcessSnapshot?)
        case unavailable(Unavailable)
    }

    /// The command that sends cores to files in `folder`, named by program, PID and time.
    public static func enableCommand(folder: String = "/var/tmp/cores") -> String {
        "sudo mkdir -p \(folder) && sudo chmod 1777 \(folder) && sudo sysctl -w kernel.core_pattern=\(folder)/core.%e.%p.%t"
    }

    /// The core of one of `processes` (the server first, its shell wrapper last) written since `since`.
    public func locate(processes: [ProcessSnapshot], since: Date) async -> Found {
        let ordered = processes.filter { !$0.isShell } + processes.filter(\.isShell)
        if let limited = ordered.first, limited.coreLimitIsZero {
            return .unavailable(
                Unavailable(
                    reason: "cores are off for the server: its core size limit is 0 and the hard limit allows no more",
                    howToEnable:
                        "run `ulimit -c unlimited` in the shell that starts crashwatch (or `LimitCORE=infinity` in the service unit)"
                ))
        }
        switch pattern {
        case nil:
            return .unavailable(
                Unavailable(
                    reason: "this system does not say where cores go (\(CorePattern.kernelFile) is not readable)",
                    howToEnable: "set `run-under-gdb = true` in crashwatch.toml to take the stack without a core"))
        case .file(let text):
            return await locateFile(pattern: text, processes: ordered, since: since)
        case .systemdCoredump:
            return await locateInCoredump(processes: ordered)
        case .apport:
            return await locateInApport(processes: ordered, since: since)
        case .otherPipe(let command):
            return .unavailable(
                Unavailable(
                    reason: "core_pattern pipes cores to `\(command)`, which crashwatch cannot read",
                    howToEnable: Self.enableCommand()))
        }
    }

    private func locateFile(pattern text: String, processes: [ProcessSnapshot], since: Date) async -> Found {
        let deadline = ContinuousClock.now + waitLimit
        var folders: [String] = []
        repeat {
            for process in processes {
                guard let place = CorePattern.file(text).location(for: process, usesPID: usesPID) else { continue }
                folders.append(place.folder)
                // Complete already: the kernel writes a file core before the dying process can be reaped.
                if let path = Self.newest(in: place.folder, matching: place.name, since: since) {
                    return .core(path: path, process: process)
                }
            }
            try? await Task.sleep(for: .milliseconds(100))
        } while ContinuousClock.now < deadline && !Task.isCancelled
        let where_ = Set(folders).sorted().joined(separator: ", ")
        return .unavailable(
            Unavailable(
                reason:
                    "no core matching core_pattern `\(text)` was written\(where_.isEmpty ? "" : " in \(where_)") (a folder the server cannot write, or a full disk)",
                howToEnable: Self.enableCommand()))
    }

    static func newest(in folder: String, matching name: NSRegularExpression, since: Date) -> String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        var best: (path: String, date: Date)?
        for file in names where name.firstMatch(in: file, range: NSRange(file.startIndex..., in: file)) != nil {
            let path = "\(folder)/\(file)"
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular,
                let date = attributes[.modificationDate] as? Date, date >= since.addingTimeInterval(-1)
            else { continue }
            if best == nil || date > best!.date { best = (path, date) }
        }
        return best?.path
    }

    static func size(of path: String) -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    private func locateInCoredump(processes: [ProcessSnapshot]) async -> Found {
        guard ExecutableSearch.find("coredumpctl") != nil else {
            return .unavailable(
                Unavailable(
                    reason: "core_pattern hands cores to systemd-coredump, but coredumpctl is not installed",
                    howToEnable: "apt-get install systemd-coredump"))
        }
        try? FileManager.default.createDirectory(atPath: extractFolder, withIntermediateDirectories: true)
        let deadline = ContinuousClock.now + waitLimit
        repeat {
            for process in processes {
                let output = "\(extractFolder)/core.\(process.command).\(process.pid)"
                let arguments = ["coredumpctl", "--no-pager", "-q", "dump", "\(process.pid)", "-o", output]
                let completed = await BlockingWork.perform {
                    try? ChildProcess.run(arguments, timeout: .seconds(60))
                }
                if completed?.succeeded == true, Self.size(of: output) > 0 {
                    return .core(path: output, process: process)
                }
            }
            try? await Task.sleep(for: .milliseconds(500))
        } while ContinuousClock.now < deadline && !Task.isCancelled
        return .unavailable(
            Unavailable(
                reason:
                    "systemd-coredump kept no core for PID \(processes.map { "\($0.pid)" }.joined(separator: "/")) (Storage=none, or the core was above ProcessSizeMax)",
                howToEnable: "set Storage=external in /etc/systemd/coredump.conf; `coredumpctl list` shows what it kept"
            ))
    }

    private func locateInApport(processes: [ProcessSnapshot], since: Date) async -> Found {
        let folder = "/var/crash"
        let deadline = ContinuousClock.now + waitLimit
        repeat {
            for process in processes {
                guard let executable = process.executable else { continue }
                // apport names a report after the executable's path, `/` written as `_`.
                let name = executable.replacingOccurrences(of: "/", with: "_")
                guard
                    let regex = try? NSRegularExpression(
                        pattern: "^\(NSRegularExpression.escapedPattern(for: name))\\.[0-9]+\\.crash$"),
                    let report = Self.newest(in: folder, matching: regex, since: since)
                else { continue }
                let unpacked = "\(extractFolder)/apport-\(process.pid)"
                let completed = await BlockingWork.perform {
                    try? ChildProcess.run(["apport-unpack", report, unpacked], timeout: .seconds(120))
                }
                if completed?.succeeded == true, Self.size(of: "\(unpacked)/CoreDump") > 0 {
                    return .core(path: "\(unpacked)/CoreDump", process: process)
                }
                return .unavailable(
                    Unavailable(
                        reason: "apport kept \(report), but `apport-unpack` could not take the core out of it",
                        howToEnable:
                            "apt-get install apport, then `apport-unpack \(report) DIR` and gdb on DIR/CoreDump"))
            }
            try? await Task.sleep(for: .milliseconds(500))
        } while ContinuousClock.now < deadline && !Task.isCancelled
        return .unavailable(
            Unavailable(
                reason:
                    "core_pattern hands cores to apport, which ignores programs outside a Debian package (no report in /var/crash)",
                howToEnable: Self.enableCommand()))
    }
}
