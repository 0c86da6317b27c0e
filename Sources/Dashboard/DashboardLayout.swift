import TerminalUI

/// Where everything goes at a given size: each pane a title row plus a body, stacked, and a bottom bar.
struct DashboardLayout {
    /// Below this the dashboard shows a "terminal too small" notice instead.
    static let minimumSize = Size(width: 40, height: 8)

    struct PaneArea {
        var titleRow: Int
        var body: Rect
    }

    let size: Size
    let panes: [PaneArea]
    let bottomRow: Int

    var isTooSmall: Bool { size.width < Self.minimumSize.width || size.height < Self.minimumSize.height }

    init(size: Size, paneCount: Int) {
        self.size = size
        bottomRow = size.height - 1
        let count = max(1, paneCount)
        let bodies = max(0, size.height - 1 - count)
        var areas: [PaneArea] = []
        var row = 0
        for index in 0..<paneCount {
            let height = bodies / count + (index < bodies % count ? 1 : 0)
            areas.append(PaneArea(titleRow: row, body: Rect(x: 0, y: row + 1, width: size.width, height: height)))
            row += 1 + height
        }
        panes = areas
    }
}
