/// A screen that keeps the last frame in memory, for tests and for `crashwatch render`.
@MainActor
public final class InMemoryScreen: Screen {
    public var size: Size
    public private(set) var lastFrame: CellGrid?
    public private(set) var frameCount = 0
    /// Keys that `nextKey()` hands out, first in first out.
    public var pendingKeys: [Key] = []

    public init(size: Size) {
        self.size = size
    }

    public func present(_ grid: CellGrid) {
        lastFrame = grid
        frameCount += 1
    }

    /// How many times the bell was rung.
    public private(set) var bells = 0

    public func ringBell() { bells += 1 }

    public func nextKey() -> Key? {
        pendingKeys.isEmpty ? nil : pendingKeys.removeFirst()
    }
}
