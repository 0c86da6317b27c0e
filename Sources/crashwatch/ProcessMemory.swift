import Foundation

/// Resident memory of this process, from /proc (Linux).
enum ProcessMemory {
    /// `VmRSS` (current) and `VmHWM` (peak) in KiB, or nil where /proc is not available.
    static func residentKiB() -> (current: Int, peak: Int)? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        func value(_ key: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return nil }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        guard let current = value("VmRSS:"), let peak = value("VmHWM:") else { return nil }
        return (current, peak)
    }

    static func mebibytes(_ kib: Int) -> String {
        let tenths = (kib * 10 + 512) / 1024
        return "\(tenths / 10).\(tenths % 10) MiB"
    }
}
