import Foundation
public import TerminalUI
public import Testing

/// Compares text with a golden file (by default the dashboard's, `Tests/DashboardTests/Snapshots/`);
/// `RECORD_SNAPSHOTS=1 swift test` rewrites them.
///
/// A missing golden file is written and the test fails, so a new snapshot is always looked at once before it counts.
public enum GoldenFile {
    public static let dashboardSnapshots = Repository.path("Tests/DashboardTests/Snapshots")

    public static func assertMatches(
        _ actual: String, named name: String, in folderPath: String = dashboardSnapshots,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let folder = URL(fileURLWithPath: folderPath)
        let url = folder.appendingPathComponent("\(name).txt")
        let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil
        guard !recording, let expected = try? String(contentsOf: url, encoding: .utf8) else {
            try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record(
                "recorded \(url.lastPathComponent); check it and run the tests again", sourceLocation: sourceLocation)
            return
        }
        if expected != actual {
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let firstDifference = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
            let row = firstDifference?.offset ?? min(expectedLines.count, actualLines.count)
            Issue.record(
                """
                screen differs from \(name).txt at row \(row + 1):
                expected: \(row < expectedLines.count ? String(expectedLines[row]) : "<none>")
                actual:   \(row < actualLines.count ? String(actualLines[row]) : "<none>")
                (RECORD_SNAPSHOTS=1 swift test rewrites the golden files)
                """, sourceLocation: sourceLocation)
        }
    }

    /// The frame's text, then a map of the roles used per cell (one letter each), so colours are checked too.
    public static func render(_ grid: CellGrid, withRoles: Bool = false) -> String {
        var out = grid.text
        guard withRoles else { return out }
        out += String(repeating: "─", count: grid.size.width) + "\n"
        for y in 0..<grid.size.height {
            var row = ""
            for x in 0..<grid.size.width {
                // The highlighted row: plain text shows as the cursor line, a level keeps its letter (its colour).
                let cell = grid[x, y]
                row.append(cell.isSelected && (cell.role == .text || cell.role == .info) ? "_" : letter(cell.role))
            }
            while row.last == "." { row.removeLast() }
            out += row + "\n"
        }
        return out
    }

    public static func letter(_ role: StyleRole) -> Character {
        switch role {
        case .text, .info: "."
        case .dim: "d"
        case .trace: "t"
        case .debug: "g"
        case .warn: "W"
        case .error: "E"
        case .fatal: "F"
        case .paneTitle: "p"
        case .paneTitleFocused: "P"
        case .statusBar: "s"
        case .statusKey: "k"
        case .prompt: ">"
        case .searchMatch: "M"
        case .cursorLine: "_"
        case .overlay: "o"
        case .overlayTitle: "O"
        case .notice: "!"
        case .diffAdded: "+"
        case .diffRemoved: "-"
        case .diffHeader: "@"
        }
    }
}
