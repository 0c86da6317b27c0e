import Synchronization

/// A value shared between threads behind one lock: reader threads of a child process append, an actor or the main
/// loop reads. (`Mutex` itself is not copyable, so it cannot be a stored property of a `Sendable` class's users.)
public final class LockBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: Value) {
        mutex = Mutex(value)
    }

    /// Runs `body` with the value locked.
    public func withLock<Result: Sendable>(_ body: (inout sending Value) throws -> sending Result) rethrows -> Result {
        try mutex.withLock(body)
    }

    /// A copy of the value.
    public var value: Value { mutex.withLock { $0 } }
}
