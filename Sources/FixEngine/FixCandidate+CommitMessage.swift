extension FixCandidate {
    /// The one commit message an approved fix is committed with, from the dashboard or the loop: what was changed,
    /// for which crash, why, and the evidence — so that `git log` alone explains the change.
    public func commitMessage(signature: String, groupKey: String) -> String {
        var message = """
            crashwatch: \(title)

            Crash signature: \(signature)
            \(explanation)
            """
        if !evidence.isEmpty {
            message += "\n\nEvidence:\n" + evidence.map { "- " + $0 }.joined(separator: "\n")
        }
        if let upstreamCommit { message += "\n\n(cherry picked from commit \(upstreamCommit))" }
        // A git trailer, so `git log --grep` and `git interpret-trailers` find the fix of a crash group.
        return message + "\n\nCrash-Group: \(groupKey)\n"
    }
}
