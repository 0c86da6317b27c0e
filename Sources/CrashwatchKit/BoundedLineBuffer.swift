/// The last `capacity` lines written from other threads (a child's output readers), safe to read from anywhere.
public final class BoundedLineBuffer: Sendable {
    private let storage: LockBox<[String]>
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
        storage = LockBox([])
    }

    public func append(_ line: String) {
        let capacity = capacity
        storage.withLock { lines in
            lines.append(line)
            if lines.count > capacity { lines.removeFirst(lines.count - capacity) }
        }
    }

    /// The lines kept, oldest first.
    public var lines: [String] { storage.value }

    /// The lines kept, oldest first, and an empty buffer.
    public func drain() -> [String] {
        storage.withLock { lines in
            let drained = lines
            lines.removeAll(keepingCapacity: true)
            return drained
        }
    }
}
