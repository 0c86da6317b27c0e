import CrashwatchKit

/// Reads the server's output as it passes to the pane: the start-up line that names the build, the last lines, and —
/// under gdb — the stacks gdb prints once the server receives a signal.
final class ServerOutputWatch: Sendable {
    private struct Seen {
        var buildLine: String?
        var gdbLines: [String]?
    }

    private let seen = LockBox(Seen())
    private let tail = BoundedLineBuffer(capacity: 200)
    private let output: @Sendable (String, Bool) -> Void
    /// gdb's stacks can be long (every thread, with locals); beyond this they are cut.
    static let gdbLineLimit = 100_000

    init(output: @escaping @Sendable (String, Bool) -> Void) {
        self.output = output
    }

    var buildLine: String? { seen.withLock { $0.buildLine } }
    var lastLines: [String] { tail.lines }
    var gdbStacks: String? { seen.withLock { $0.gdbLines?.joined(separator: "\n") } }

    @Sendable func receive(_ line: String, isError: Bool) {
        output(line, isError)
        tail.append(line)
        seen.withLock { seen in
            if seen.buildLine == nil, line.contains(" rev. ") || line.hasPrefix("AzerothCore rev.") {
                seen.buildLine = line
            }
            if seen.gdbLines != nil {
                if seen.gdbLines!.count < Self.gdbLineLimit { seen.gdbLines!.append(line) }
            } else if line.contains("received signal SIG") {
                seen.gdbLines = [line]
            }
        }
    }
}
