import Dispatch

/// Runs blocking work — git, a compiler, a fix provider, reading a large file — on a Dispatch thread and awaits it,
/// so that it never occupies one of the few threads Swift's concurrency pool has (two on a two-core server), which
/// every other task of the process needs to make progress.
public enum BlockingWork {
    public static func perform<Value: Sendable>(_ work: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: work())
            }
        }
    }
}
