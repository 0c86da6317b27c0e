import Foundation

/// What Linux says of a process, for tests that check nothing crashwatch started is left running.
public enum ProcessState {
    /// The state letter of `/proc/<pid>/stat` (`S`, `R`, `Z`, …), or nil when there is no such process.
    public static func of(_ pid: String) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"), stat.index(close, offsetBy: 2) < stat.endIndex
        else { return nil }
        return stat[stat.index(close, offsetBy: 2)]
    }

    /// Gone, or a zombie nobody has reaped yet (it runs nothing).
    public static func isGone(_ pid: String) -> Bool {
        let state = of(pid)
        return state == nil || state == "Z"
    }
}
