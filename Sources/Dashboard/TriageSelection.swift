/// The highlighted row of a list pane (errors or warnings) and its scroll position.
public struct TriageSelection: Sendable, Equatable {
    public var row = 0
    public var top = 0

    /// Moves by `delta` rows within `count`, scrolling a body `height` rows tall to keep the row visible.
    mutating func move(by delta: Int, count: Int, height: Int) {
        guard count > 0 else {
            row = 0
            top = 0
            return
        }
        row = min(max(0, row + delta), count - 1)
        clamp(count: count, height: height)
    }

    mutating func clamp(count: Int, height: Int) {
        row = min(max(0, row), max(0, count - 1))
        if row < top { top = row }
        if height > 0, row >= top + height { top = row - height + 1 }
        top = max(0, min(top, max(0, count - height)))
    }
}

/// A move in a list pane (errors, warnings, inbox, history).
public enum ListStep: Sendable, Equatable {
    case down, up, pageDown, pageUp, top, bottom

    /// Rows to move in a list of `count` rows shown `height` at a time.
    func delta(count: Int, height: Int) -> Int {
        switch self {
        case .down: 1
        case .up: -1
        case .pageDown: max(1, height - 1)
        case .pageUp: -max(1, height - 1)
        case .top: -count
        case .bottom: count
        }
    }
}
