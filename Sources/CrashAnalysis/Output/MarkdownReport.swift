import Foundation

/// A Markdown report of one analysis, for `crashwatch analyze --markdown` and the reports folder.
public enum MarkdownReport {
    public static func render(_ result: CrashAnalysisResult) -> String {
        let report = result.report
        let diagnosis = result.diagnosis
        var out = "# Crash: `\(result.signature.signature)`\n\n"
        if let file = result.file { out += "- **Report:** `\(file)` (\(report.format.rawValue))\n" }
        out +=
            "- **Group:** `\(result.signature.groupKey)` (signature algorithm v\(result.signature.algorithmVersion))\n"
        out += "- **Exception:** \(report.exceptionCode ?? "?") \(report.exceptionName ?? "")\n"
        if let build = report.buildHash { out += "- **Build:** `\(build)`\n" }
        if let time = report.crashTime { out += "- **Time:** \(time)\n" }
        out += "- **Severity:** \(diagnosis.severity.rawValue)\(diagnosis.isBotRelated ? " — bot-related" : "")\n"
        if !diagnosis.components.isEmpty {
            out += "- **Components:** \(diagnosis.components.joined(separator: ", "))\n"
        }
        if let assertion = report.assertion {
            out += "\n## \(assertion.kind.capitalized)\n\n"
            out +=
                "`\(assertion.file ?? "?"):\(assertion.line.map(String.init) ?? "?")` in `\(assertion.function ?? "?")`"
            if let condition = assertion.condition { out += ": `\(condition)`" }
            out += "\n"
            if let message = assertion.message { out += "\n```\n\(message)\n```\n" }
        }
        out += "\n## Root cause (hypothesis)\n\n\(diagnosis.rootCause.text)\n\n"
        for evidence in diagnosis.rootCause.evidence { out += "- evidence: \(evidence)\n" }
        if !diagnosis.clues.isEmpty {
            out += "\n## What the report says\n\n"
            for clue in diagnosis.clues { out += "- \(clue.text)\n" }
        }
        out += "\n## Can a maintainer act on it?\n\n\(diagnosis.verdict.summary)\n"
        for problem in diagnosis.verdict.problems { out += "- \(problem.text)\n" }
        if !diagnosis.suggestions.isEmpty {
            out += "\n## Suggestions\n\n"
            for (rank, suggestion) in diagnosis.suggestions.enumerated() {
                out += "\(rank + 1). \(suggestion.text) _(\(suggestion.evidence.joined(separator: "; ")))_\n"
            }
        }
        if !diagnosis.patterns.isEmpty {
            out += "\n## Known patterns\n\n"
            for match in diagnosis.patterns {
                out += "- **\(match.name)** (`\(match.id)`, \(match.severity.rawValue))"
                if !match.fixTemplates.isEmpty {
                    out += ", fix template " + match.fixTemplates.map { "`\($0)`" }.joined(separator: ", then ")
                }
                out += ": \(match.evidence.joined(separator: "; "))\n"
            }
        }
        out += "\n## Crashing thread\n\n\(report.crashingThreadReason)\n\n"
        if let thread = report.crashingThread {
            out += "```\n"
            for frame in thread.frames.prefix(30) {
                let location = frame.file.map { "  \($0)\(frame.line.map { ":\($0)" } ?? "")" } ?? ""
                out += "#\(frame.index) \(FrameNormalizer.normalize(frame))\(location)\n"
            }
            if thread.frames.count > 30 { out += "… \(thread.frames.count - 30) more frames\n" }
            out += "```\n"
        }
        if let correlation = result.correlation {
            out += "\n## Before the crash (last \(correlation.windowSeconds) s of the logs)\n\n"
            for line in correlation.errors.suffix(10) { out += "- `\(line.source)` \(line.text)\n" }
            for warning in correlation.repeatedWarnings { out += "- ×\(warning.count) \(warning.lastExample)\n" }
            for run in correlation.placedRuns ?? [] {
                out += "- \(run.how):\n\n```\n" + run.lines.map(\.text).joined(separator: "\n") + "\n```\n"
            }
            for note in correlation.notes ?? [] { out += "- \(note)\n" }
            for action in correlation.lastBotActions {
                out += "- bot \(action.bot), \(action.secondsBeforeCrash) s before: \(action.line)\n"
            }
        }
        if !report.problems.isEmpty {
            out += "\n## Could not parse\n\n"
            for problem in report.problems { out += "- \(problem)\n" }
        }
        return out
    }
}
