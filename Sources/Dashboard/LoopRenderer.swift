import Supervisor
import TerminalUI

/// The supervised loop's view: every step with its iteration and elapsed time, and the result.
enum LoopRenderer {
    static func draw(_ state: DashboardState, into grid: inout CellGrid) {
        let area = Rect(x: 0, y: 0, width: grid.size.width, height: max(0, grid.size.height - 1))
        grid.fill(area, role: .text)
        guard let loop = state.loop else { return }
        var lines: [(String, StyleRole)] = [("Supervised loop (\(loop.mode))", .overlayTitle)]
        for entry in loop.entries {
            let seconds = Double(entry.elapsed.components.seconds) + Double(entry.elapsed.components.attoseconds) / 1e18
            let stamp = String(Int(seconds)).leftPadded(to: 5) + " s"
            let role: StyleRole = entry.event.detail.hasPrefix("failed") ? .error : .text
            lines.append(
                (
                    "\(stamp)  iteration \(entry.event.iteration)  \(entry.event.step.rawValue.padded(to: 10)) \(entry.event.detail)",
                    role
                ))
        }
        if let result = loop.result {
            lines.append(("", .text))
            lines.append(
                (result, result.hasPrefix("fixed") || result.hasPrefix("the server survived") ? .info : .notice))
            if let report = loop.reportPath { lines.append(("loop report: \(report)", .dim)) }
            if loop.canRevert { lines.append(("U reverts the applied fix", .notice)) }
        }
        if !loop.output.isEmpty {
            lines.append(("", .text))
            lines.append(("Server, build and test output", .overlayTitle))
            for line in loop.output.suffix(max(0, area.height / 2)) {
                lines.append((line, line.hasPrefix("! ") ? .warn : .dim))
            }
        }
        for (offset, line) in lines.suffix(area.height).enumerated() {
            grid.write(line.0, at: Point(x: 1, y: offset), role: line.1, maxWidth: area.width - 2)
        }
    }
}
