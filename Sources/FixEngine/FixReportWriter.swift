import Foundation

/// Writes each candidate as a `.patch` file and a Markdown report into the reports folder.
public enum FixReportWriter {
    /// - Returns: the files written.
    public static func write(_ candidates: [FixCandidate], signature: String, groupID: String, to folder: String) throws
        -> [String]
    {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var written: [String] = []
        var report = "# Fix candidates for `\(signature)`\n\nGroup `\(groupID)`.\n\n"
        for (rank, candidate) in candidates.enumerated() {
            report += "## \(rank + 1). \(candidate.title)\n\n"
            if candidate.isSymptomOnly {
                report += "> **Symptom only**: this hides the crash rather than fixing its cause.\n\n"
            }
            if let problem = candidate.problem { report += "No patch: \(problem)\n\n" }
            if !candidate.explanation.isEmpty { report += "\(candidate.explanation)\n\n" }
            report +=
                "Confidence \(String(format: "%.2f", candidate.confidence)); \(candidate.diffSize) changed line(s); files \(candidate.filesTouched.joined(separator: ", ")).\n\n"
            for evidence in candidate.evidence { report += "- \(evidence)\n" }
            if let diff = candidate.diff {
                let name =
                    "\(groupID.prefix(12))-\(rank + 1)-\(candidate.source.replacingOccurrences(of: ":", with: "-")).patch"
                let path = "\(folder)/\(name)"
                try diff.write(toFile: path, atomically: true, encoding: .utf8)
                written.append(path)
                report += "\nPatch: `\(name)`\n\n```diff\n\(diff)```\n\n"
            }
        }
        let reportPath = "\(folder)/\(groupID.prefix(12))-fixes.md"
        try report.write(toFile: reportPath, atomically: true, encoding: .utf8)
        written.append(reportPath)
        return written
    }
}
