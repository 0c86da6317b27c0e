import Foundation
import LogWatch

@testable import Dashboard
@testable import TerminalUI

extension DashboardState {
    /// A dashboard whose one pane holds the newest `held` of `lines`, written to `path` and indexed: what the app has
    /// after start on a file larger than its memory ring.
    static func fileBacked(_ lines: [String], path: String, held: Int = 100) throws -> DashboardState {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        var state = DashboardState(
            panes: [LogPane(title: "Server.log", path: path, capacity: held)], size: Size(width: 100, height: 30))
        state.ingest(LogBatch.classified(Array(lines.suffix(held))), into: 0)
        state.panes[0].setArchive(try SparseLineIndex.build(path: path, upTo: .max, stride: 64))
        return state
    }
}

extension LogBatch {
    /// `lines` read as a log's lines.
    static func classified(_ lines: [String]) -> LogBatch {
        var classifier = LineClassifier()
        return LogBatch(lines: lines.map { classifier.classify(RawLine(bytes: Array($0.utf8))) })
    }
}
