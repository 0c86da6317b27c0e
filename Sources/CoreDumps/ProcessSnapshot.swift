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
        family(ofGroup: group, known: []).filter { $0.group == group }.map(\.snapshot)
    }

    /// A live process related to a supervised run, with what identifies it across PID reuse.
    public struct Relative: Sendable, Equatable {
        public var snapshot: ProcessSnapshot
        public var group: Int32
        /// Clock ticks after boot when it started (`/proc/PID/stat` field 22).
        public var startTime: UInt64
    }

    /// The processes of `group`, and every descendant of them or of `known` PIDs, also those that left the group
    /// (`setsid`, a double fork): a server's helpers must not outlive its run.
    public static func family(ofGroup group: Int32, known: Set<Int32>) -> [Relative] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var parents: [Int32: Int32] = [:]
        var groups: [Int32: Int32] = [:]
        var starts: [Int32: UInt64] = [:]
        for entry in entries {
            guard let pid = Int32(entry), let fields = statFields(pid), fields.count > 19, fields[0] != "Z",
                let parent = Int32(fields[1]), let processGroup = Int32(fields[2])
            else { continue }
            parents[pid] = parent
            groups[pid] = processGroup
            starts[pid] = UInt64(fields[19]) ?? 0
        }
        var family = Set(groups.filter { $0.value == group }.keys).union(known.filter { parents[$0] != nil })
        var grew = true
        while grew {
            grew = false
            for (pid, parent) in parents where !family.contains(pid) && family.contains(parent) {
                family.insert(pid)
                grew = true
            }
        }
        return family.compactMap { pid in
            take(pid).map { Relative(snapshot: $0, group: groups[pid] ?? 0, startTime: starts[pid] ?? 0) }
        }
    }

    /// The live processes whose environment holds `marker` (`NAME=value`): every descendant of a run crashwatch
    /// started with it, also one that left the run's process group and outlived its parent, however fast.
    public static func marked(_ marker: String) -> [Relative] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        let needle = Data(marker.utf8)
        return entries.compactMap { entry -> Relative? in
            guard let pid = Int32(entry), pid != getpid(),
                let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                environment.range(of: needle) != nil,
                let fields = statFields(pid), fields.count > 19, fields[0] != "Z", let group = Int32(fields[2]),
                let snapshot = take(pid)
            else { return nil }
            return Relative(snapshot: snapshot, group: group, startTime: UInt64(fields[19]) ?? 0)
        }
    }

    /// The fields of `/proc/PID/stat` after the command name (which may hold spaces and parentheses): state first.
    public static func statFields(_ pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    /// Whether `pid` is still the process that started at `startTime` (not a new one with a reused PID).
    public static func isAlive(_ pid: Int32, startTime: UInt64) -> Bool {
        guard let fields = statFields(pid), fields.count > 19, fields[0] != "Z" else { return false }
        return UInt64(fields[19]) == startTime
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
