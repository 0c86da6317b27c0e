import DequeModule
import Foundation

/// Lines from the supervised server, build and test commands, collected from their reader threads and drained by
/// the app loop each frame (one lock, no task per line, however chatty the server is).
final class OutputBuffer: @unchecked Sendable {
    // Guarded by `lock`: reader threads append, the main actor drains.
    private let lock = NSLock()
    private var lines: [String] = []

    func add(_ line: String, isError: Bool) {
        lock.withLock {
            lines.append(isError ? "! " + line : line)
            if lines.count > 5_000 { lines.removeFirst(lines.count - 5_000) }
        }
    }

    func drain() -> [String] {
        lock.withLock {
            defer { lines.removeAll(keepingCapacity: true) }
            return lines
        }
    }
}
