import CrashAnalysis
public import CrashwatchKit
import Foundation

/// The report crashwatch writes for a crash it symbolised itself: a small header (time, binary, build, signal, core,
/// what went wrong), then gdb's text as it printed it.
///
/// It goes into the crash folder and through the inbox like a report the server wrote.
public struct CoreReport: Sendable {
    public enum Kind: String, Sendable {
        case crash = "gdb"
        case freeze
    }

    public var kind: Kind
    public var time: CivilTime
    public var pid: Int32
    public var binary: String?
    /// The server's own start-up line naming its build (`TrinityCore rev. 0123abcd… (Unix, RelWithDebInfo)`).
    public var buildLine: String?
    public var signal: Int32?
    public var core: String?
    public var notes: [String] = []
    /// The command that takes the stack by hand (gdb missing, a timeout, no core).
    public var byHand: String?
    /// gdb's text; nil when there is none.
    public var gdbText: String?
    /// The server's last output lines, kept when there is no stack (an assertion message may be among them).
    public var lastOutput: [String] = []

    public init(kind: Kind, time: CivilTime, pid: Int32) {
        self.kind = kind
        self.time = time
        self.pid = pid
    }

    /// The first line of every report crashwatch writes itself.
    public static var marker: String { OwnReportHeader.marker }

    public var text: String {
        var lines = [
            "\(Self.marker): \(kind == .freeze ? OwnReportHeader.freezeTitle : "crash, core symbolised with gdb")"
        ]
        lines.append("Time: \(time)")
        lines.append("PID: \(pid)")
        if let binary { lines.append("Binary: \(binary)") }
        if let buildLine { lines.append("Build: \(buildLine)") }
        if let signal { lines.append("Signal: \(CrashSignal.name(signal)) (\(signal))") }
        if let core { lines.append("Core: \(core)") }
        lines += notes.map { "Note: \($0)" }
        if let byHand { lines.append("Run by hand: \(byHand)") }
        lines.append("")
        if kind == .freeze {
            lines.append(
                "The server made no output and no CPU progress; these stacks were taken before it was stopped.")
        }
        if let gdbText {
            lines.append(gdbText)
        } else {
            if let signal { lines.append(CrashSignal.terminationLine(signal)) }
            if !lastOutput.isEmpty {
                lines.append("")
                lines.append("Last output of the server:")
                lines += lastOutput
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `gdb-20261201-125109-11487.txt`.
    public var fileName: String {
        let stamp =
            "\(time.year)\(pad(time.month))\(pad(time.day))-\(pad(time.hour))\(pad(time.minute))\(pad(time.second))"
        return "\(kind.rawValue)-\(stamp)-\(pid).txt"
    }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Writes the report into `folder` whole (a hidden partial file renamed into place, so a watcher never reads half
    /// of it); returns its path.
    public func write(into folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var name = fileName
        var attempt = 1
        while FileManager.default.fileExists(atPath: "\(folder)/\(name)") {
            attempt += 1
            name = fileName.replacingOccurrences(of: ".txt", with: "-\(attempt).txt")
        }
        let partial = "\(folder)/.\(name).partial"
        try Data(text.utf8).write(to: URL(fileURLWithPath: partial))
        let path = "\(folder)/\(name)"
        guard rename(partial, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        return path
    }

    /// The `Core:` path a report of crashwatch's names, if any.
    public static func corePath(in text: Substring) -> String? {
        guard text.hasPrefix(marker) else { return nil }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(20) {
            if line.isEmpty { return nil }
            if line.hasPrefix("Core: ") { return String(line.dropFirst(6)) }
        }
        return nil
    }
}
