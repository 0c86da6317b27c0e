/// The highlighted row of a list pane (errors or warnings) and its scroll position.
public struct TriageSelection: Sendable, Equatable {
    public var row = 0
    public var top = 0
    /// The item the user moved to (its key): new items arriving above it do not move the highlight off it.
    public var anchor: String?
    /// Items that arrived above the anchored one since the user last looked at the top.
    public var newAbove = 0

    /// " │ ▲ 3 new above" for the pane's title; empty when nothing arrived.
    public var newAboveText: String { newAbove > 0 ? " │ ▲ \(newAbove) new above" : "" }

    /// After a move: the item now highlighted is the anchor; at the top, everything new has been seen.
    mutating func anchor(to keys: [String]) {
        anchor = row < keys.count ? keys[row] : nil
        if row == 0 { newAbove = 0 }
    }

    /// The list changed (`keys`, as shown now): the highlight stays on the anchored item, and the view with it.
    mutating func follow(_ keys: [String], height: Int) {
        guard let anchor, let index = keys.firstIndex(of: anchor) else {
            clamp(count: keys.count, height: height)
            return
        }
        if index > row { newAbove += index - row }
        top += index - row
        row = index
        clamp(count: keys.count, height: height)
    }

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
