import FixEngine
import TerminalUI

/// Draws the fix preview: the candidates, the selected one's evidence, and its diff in colour.
enum FixPreviewRenderer {
    static func draw(_ state: DashboardState, into grid: inout CellGrid) {
        let area = Rect(x: 0, y: 0, width: grid.size.width, height: max(0, grid.size.height - 1))
        grid.fill(area, role: .text)
        guard let preview = state.crashes.fixPreview else { return }
        var lines: [(String, StyleRole)] = [("Fix preview: \(preview.signature)", .overlayTitle)]
        if let busy = preview.busy { lines.append((busy, .notice)) }
        for (index, candidate) in preview.candidates.enumerated() {
            let marker = index == preview.selected ? "▶" : " "
            var text = "\(marker) \(index + 1). \(candidate.title)"
            if candidate.diff != nil {
                text += "  confidence \(Int(candidate.confidence * 100)) %, \(candidate.diffSize) line(s)"
            }
            if candidate.isSymptomOnly { text += "  ⚠ symptom only" }
            switch candidate.compileCheck {
            case .compiles?: text += "  ✓ compiles"
            case .fails?: text += "  ✗ does not compile"
            case .notChecked?: text += "  not compile-checked"
            case nil: break
            }
            if let reason = preview.rejected[index] { text += "  ✗ rejected: \(reason)" }
            lines.append((text, index == preview.selected ? .cursorLine : (candidate.diff == nil ? .dim : .text)))
        }
        if let candidate = preview.current {
            lines.append(("", .text))
            if candidate.isSymptomOnly {
                lines.append(
                    (
                        "⚠ Symptom only: this hides the crash instead of fixing its cause; never applied automatically.",
                        .warn
                    ))
            }
            if candidate.isEvidenceOnly, candidate.diff != nil {
                lines.append(
                    (
                        "Logging only: it fixes nothing, it records the inputs of the next occurrence; never applied automatically.",
                        .notice
                    ))
            }
            if let problem = candidate.problem { lines.append(("No patch: \(problem)", .notice)) }
            if let check = candidate.compileCheck {
                lines.append(("\(check)", check.compiles ? .text : check.allowsApproval ? .notice : .error))
            }
            if !candidate.explanation.isEmpty { lines.append((candidate.explanation, .text)) }
            for evidence in candidate.evidence { lines.append(("  evidence: \(evidence)", .dim)) }
            if !candidate.filesTouched.isEmpty {
                lines.append(("  files: \(candidate.filesTouched.joined(separator: ", "))", .dim))
            }
            if let diff = candidate.diff {
                lines.append(("", .text))
                let diffLines = diff.split(separator: "\n", omittingEmptySubsequences: false).dropLast(
                    diff.hasSuffix("\n") ? 1 : 0)
                for line in diffLines.dropFirst(preview.scroll) {
                    let role: StyleRole
                    if line.hasPrefix("+++") || line.hasPrefix("---") || line.hasPrefix("@@") {
                        role = .diffHeader
                    } else if line.hasPrefix("+") {
                        role = .diffAdded
                    } else if line.hasPrefix("-") {
                        role = .diffRemoved
                    } else {
                        role = .text
                    }
                    lines.append((String(line), role))
                }
            }
        } else if preview.busy == nil {
            lines.append(("no candidates", .dim))
        }
        for (offset, line) in DashboardRenderer.wrapped(lines, width: area.width - 2).prefix(area.height).enumerated() {
            grid.write(line.0, at: Point(x: 1, y: offset), role: line.1, maxWidth: area.width - 2)
        }
    }
}
