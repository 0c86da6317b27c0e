import Foundation

/// Opens a draft pull request for a fixed crash with the GitHub CLI, when the user asked for it (`pull-request =
/// true`).
///
/// A missing `gh` is a message, not a failure: the fix is on its branch either way.
public enum PullRequest {
    public static func openDraft(
        sourceRoot: String, title: String, body: String, environment: [String: String] = [:]
    ) async -> String {
        let quotedTitle = "'" + title.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let quotedBody = "'" + body.replacingOccurrences(of: "'", with: "'\\''") + "'"
        let command =
            "command -v gh >/dev/null 2>&1 || { echo 'gh-missing'; exit 127; }; gh pr create --draft --title \(quotedTitle) --body \(quotedBody)"
        do {
            let outcome = try await CommandRunner(timeout: .seconds(120)).run(
                ProcessSpec(command: command, workingDirectory: sourceRoot, environment: environment))
            if outcome.termination == .exited(127), outcome.lastLines.contains("gh-missing") {
                return
                    "gh (the GitHub CLI) is not installed: no pull request opened; the fix is on its crashwatch/ branch"
            }
            guard outcome.termination.isSuccess else {
                return
                    "gh pr create failed (\(outcome.termination)): \(outcome.lastLines.suffix(2).joined(separator: " "))"
            }
            return "draft pull request: \(outcome.lastLines.last ?? "opened")"
        } catch {
            return "gh could not be run: \(error)"
        }
    }
}
