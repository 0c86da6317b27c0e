import CrashwatchKit
import Foundation

/// What crashwatch knows of a running process from `/proc`, taken while it lives: after a crash the process is gone,
/// and its core is named and placed after these facts (`%e`, `%p`, a pattern relative to its working directory).
public struct ProcessSnapshot: Sendable, Equatable {
    public var pid: Int32
    /// The kernel's command name (`comm`, at most 15 bytes), which `%e` expands to.
    public var command: String
    /// The executable's path, when readable.
    public var executable: String?
    public var workingDirectory: String?
    /// The soft core size limit in bytes (nil: unlimited or unknown).
    public var coreLimit: UInt64?
    public var coreLimitIsZero: Bool { coreLimit == 0 }

    public init(
        pid: Int32, command: String, executable: String? = nil, workingDirectory: String? = nil,
        coreLimit: UInt64? = nil
    ) {
        self.pid = pid
        self.command = command
        self.executable = executable
        self.workingDirectory = workingDirectory
        self.coreLimit = coreLimit
    }

    /// A shell wrapper (`sh -c …`) rather than the server it started.
    public var isShell: Bool { ["sh", "bash", "dash", "zsh", "ash", "busybox"].contains(command) }

    /// The process `pid`, or nil when it is gone (or is a zombie, whose `/proc` links are gone too).
    public static func take(_ pid: Int32) -> ProcessSnapshot? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")")
        else { return nil }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        guard state != "Z" else { return nil }
        let command = String(stat[stat.index(after: open)..<close])
        return ProcessSnapshot(
            pid: pid, command: command, executable: link("/proc/\(pid)/exe"),
            workingDirectory: link("/proc/\(pid)/cwd"), coreLimit: coreLimit(of: pid))
    }

    /// Every live process whose process group is `group`.
    public static func members(ofGroup group: Int32) -> [ProcessSnapshot] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> ProcessSnapshot? in
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, fields[0] != "Z", Int32(fields[2]) == group else { return nil }
            return take(pid)
        }
    }

    static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // An executable replaced by a rebuild while it runs reads `… (deleted)`.
        return text.hasSuffix(" (deleted)") ? String(text.dropLast(10)) : text
    }

    /// `Max core file size` from `/proc/PID/limits`: its soft limit.
    static func coreLimit(of pid: Int32) -> UInt64? {
        guard let limits = try? String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8),
            let line = limits.split(separator: "\n").first(where: { $0.hasPrefix("Max core file size") })
        else { return nil }
        let words = line.dropFirst("Max core file size".count).split(separator: " ")
        return words.first.flatMap { UInt64($0) }
    }
}
