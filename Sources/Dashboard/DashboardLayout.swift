import TerminalUI

/// Where everything goes at a given size.
///
/// Wide terminals (≥ 150 columns) show the logs on the left and, on the right, the errors and warnings (or the crash
/// inbox and history when one of those is focused); narrower ones show one pair at a time, the pair of the focused
/// pane.
struct DashboardLayout {
    /// Below this the dashboard shows a "terminal too small" notice instead.
    static let minimumSize = Size(width: 40, height: 8)
    static let sideBySideWidth = 150

    struct PaneArea {
        var titleRow: Int
        var body: Rect
    }

    let size: Size
    let areas: [PaneKind: PaneArea]
    let bottomRow: Int

    var isTooSmall: Bool { size.width < Self.minimumSize.width || size.height < Self.minimumSize.height }
    var isSideBySide: Bool { size.width >= Self.sideBySideWidth }

    /// Whether one pane has the whole screen.
    let zoomed: Bool

    init(size: Size, logPaneCount: Int, focus: PaneKind, zoomed: Bool = false) {
        self.size = size
        bottomRow = size.height - 1
        self.zoomed = zoomed
        if zoomed {
            areas = [
                focus: PaneArea(titleRow: 0, body: Rect(x: 0, y: 1, width: size.width, height: max(0, size.height - 2)))
            ]
            return
        }
        let logs = Array(PaneKind.allCases.prefix(min(2, logPaneCount)))
        let triage: [PaneKind] = focus.isCrash ? [.inbox, .history] : [.errors, .warnings]
        var areas: [PaneKind: PaneArea] = [:]
        func stack(_ kinds: [PaneKind], x: Int, width: Int) {
            let count = max(1, kinds.count)
            let bodies = max(0, size.height - 1 - count)
            var row = 0
            for (index, kind) in kinds.enumerated() {
                let height = bodies / count + (index < bodies % count ? 1 : 0)
                areas[kind] = PaneArea(titleRow: row, body: Rect(x: x, y: row + 1, width: width, height: height))
                row += 1 + height
            }
        }
        if size.width >= Self.sideBySideWidth {
            let left = Self.leftWidth(size.width)
            stack(logs, x: 0, width: left)
            stack(triage, x: left + 1, width: size.width - left - 1)
        } else if focus.isLog || logs.isEmpty {
            stack(logs.isEmpty ? triage : logs, x: 0, width: size.width)
        } else {
            stack(triage, x: 0, width: size.width)
        }
        self.areas = areas
    }

    /// A vertical separator column between the two sides, when side by side.
    var separatorColumn: Int? { isSideBySide && !zoomed ? Self.leftWidth(size.width) : nil }

    /// The logs' side when side by side.
    ///
    /// The right side gets what its text needs — half the screen up to 110 columns — so that a warning's template or a
    /// crash's signature is readable (at 160 columns the logs got 96 and a template 4 characters before).
    static func leftWidth(_ width: Int) -> Int {
        let right = min(max(width * 2 / 5, width / 2), 110)
        return width - right - 1
    }

    /// Below this a list pane drops the columns that matter least (sparkline, hour count, first seen) and writes
    /// times short, so its text keeps its room: numbers shrink before text does.
    static let compactListWidth = 100
}
