import Foundation

/// Small text helpers shared by the report parsers.
enum ReportText {
    /// Lines without their `\r\n` / `\n` ends.
    static func lines(_ text: Substring) -> [Substring] {
        // "\r\n" is one Character in Swift, so split on both forms (Wheaty reports are written with CRLF).
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }

    static func trimmed(_ s: Substring) -> Substring {
        var s = s
        while let first = s.first, first == " " || first == "\t" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return s
    }

    static func isHex(_ s: Substring) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isHexDigit }
    }

    /// The text after `prefix` when `line` starts with it.
    static func after(_ prefix: String, in line: Substring) -> Substring? {
        line.hasPrefix(prefix) ? line.dropFirst(prefix.count) : nil
    }

    /// The 12-hex build hash and optional `+` after `rev. `.
    static func buildHash(in revision: Substring) -> String? {
        guard let range = revision.range(of: "rev. ") else { return nil }
        let rest = revision[range.upperBound...]
        let hash = rest.prefix(while: { $0.isHexDigit })
        guard hash.count >= 7 else { return rest.hasPrefix("unknown") ? "unknown" : nil }
        let dirty = rest.dropFirst(hash.count).first == "+"
        return String(hash).lowercased() + (dirty ? "+" : "")
    }

    /// Signal names by number, for `Program terminated with signal 11, Segmentation fault.`.
    static let signalNames: [Int: String] = [
        4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 15: "SIGTERM",
    ]

    /// Functions of threads that are waiting, not working: a stack topped by one of these did not crash.
    static let idleFunctions = [
        "NtWaitForSingleObject", "NtWaitForMultipleObjects", "NtRemoveIoCompletion", "ZwWaitForSingleObject",
        "_Cnd_wait", "SleepEx", "ReadConsole", "GetQueuedCompletionStatus", "NtDelayExecution", "futex_wait",
        "pthread_cond_wait", "pthread_cond_timedwait", "epoll_wait", "nanosleep", "__libc_read", "__GI___poll",
        "syscall", "__futex_abstimed_wait_common",
    ]

    static func isIdle(_ thread: CrashThread) -> Bool {
        guard let top = thread.frames.first?.function else { return false }
        return idleFunctions.contains { top.hasPrefix($0) || top.contains($0) }
    }
}
