import Foundation

/// The signals that mean the server crashed (and leave a core when cores are on), by number and name.
public enum CrashSignal {
    static let names: [Int32: String] = [
        4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 11: "SIGSEGV", 31: "SIGSYS",
    ]

    static let descriptions: [Int32: String] = [
        4: "Illegal instruction", 5: "Trace/breakpoint trap", 6: "Aborted", 7: "Bus error",
        8: "Arithmetic exception", 11: "Segmentation fault", 31: "Bad system call",
    ]

    /// Whether `signal` is one a crash dies of (not TERM, KILL or INT, which something sent on purpose).
    public static func isCrash(_ signal: Int32) -> Bool { names[signal] != nil }

    /// `SIGSEGV`, or `signal 42` for one without a name here.
    public static func name(_ signal: Int32) -> String { names[signal] ?? "signal \(signal)" }

    /// gdb's own line for a core, which the crash parser reads as the fault.
    ///
    /// `Program terminated with signal SIGSEGV, Segmentation fault.`
    public static func terminationLine(_ signal: Int32) -> String {
        "Program terminated with signal \(name(signal)), \(descriptions[signal] ?? "crash")."
    }

    /// The signal of gdb's `Program terminated with signal SIGSEGV` line in `text`.
    public static func number(in text: String) -> Int32? {
        guard let range = text.range(of: "terminated with signal ") else { return nil }
        let name = text[range.upperBound...].prefix(while: { $0.isLetter || $0.isNumber })
        return names.first { $0.value == name }?.key
    }

    /// The crash signal a shell reports as its own exit status (128 + N) when the command it ran died of it.
    public static func fromShellStatus(_ status: Int32) -> Int32? {
        status > 128 && isCrash(status - 128) ? status - 128 : nil
    }
}
