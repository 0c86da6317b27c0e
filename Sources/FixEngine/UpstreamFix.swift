import Foundation

/// The commit upstream fixed a known crash with, offered as the first candidate when the user's tree lacks it but
/// their repository has it (a remote branch was fetched): cherry-picked onto HEAD in a scratch worktree, so the patch
/// is the upstream change as it lands on their code, and then compiled like any other candidate.
public struct UpstreamFix: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// The candidate for `commit`, named by pattern `patternID`; one without a patch says why (already in the tree,
    /// not in the repository, does not apply).
    public func candidate(commit: String, patternID: String, evidence: [String]) -> FixCandidate {
        let short = String(commit.prefix(12))
        let git = GitPatchApplier(root: root)
        func none(_ problem: String) -> FixCandidate {
            FixCandidate(
                source: "upstream:\(short)", title: "upstream fix \(short): no patch", diff: nil, file: nil,
                explanation: "", isSymptomOnly: false, confidence: 0, evidence: evidence, problem: problem)
        }
        guard (try? git.git(["rev-parse", "--git-dir"])) != nil else {
            return none("the tree is not a git repository, so upstream fix \(short) cannot be looked for")
        }
        guard (try? git.git(["cat-file", "-e", "\(commit)^{commit}"])) != nil else {
            return none(
                "upstream fixed this in \(short), which this repository does not have (git fetch your upstream remote to have it offered)"
            )
        }
        let subject =
            (try? git.git(["log", "-1", "--format=%s", commit]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if (try? git.git(["merge-base", "--is-ancestor", commit, "HEAD"])) != nil {
            return none(
                "your tree already has upstream fix \(short) (\(subject)): this crash is another cause, or the fix came undone"
            )
        }
        let branches = ((try? git.git(["branch", "-r", "--contains", commit])) ?? "").split(separator: "\n").map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty && !$0.contains(" -> ") }
        let picked: String
        switch cherryPicked(commit) {
        case .failure(let problem): return none(problem.reason)
        case .success(let diff): picked = diff
        }
        let onBranches =
            branches.isEmpty
            ? "in this repository (on no remote branch)" : "on \(branches.prefix(3).joined(separator: ", "))"
        var candidate = FixCandidate(
            source: "upstream:\(short)", title: "upstream fix \(short): \(subject)", diff: picked,
            file: UnifiedDiff.touchedFiles(picked).first,
            explanation:
                "The change upstream made for this crash (\(subject)), \(onBranches) but not in your tree: cherry-picked onto your HEAD. Applying it commits it with a `(cherry picked from commit \(commit))` line, as `git cherry-pick -x` does.",
            isSymptomOnly: false, confidence: 0.8,
            evidence: evidence + ["upstream commit \(commit) \(onBranches); not an ancestor of HEAD"])
        candidate.upstreamCommit = commit
        return candidate
    }

    /// The diff `commit` makes when cherry-picked onto HEAD, made in a scratch worktree that is removed after.
    func cherryPicked(_ commit: String) -> Result<String, TemplateRefusal> {
        let git = GitPatchApplier(root: root)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "crashwatch-upstream-\(UUID().uuidString)"
        ).path
        guard (try? git.git(["worktree", "add", "--detach", "-q", scratch, "HEAD"])) != nil else {
            return .failure(.init(reason: "a scratch worktree for the cherry-pick could not be made"))
        }
        defer {
            _ = try? git.git(["worktree", "remove", "--force", scratch])
            try? FileManager.default.removeItem(atPath: scratch)
            _ = try? git.git(["worktree", "prune"])
        }
        let inScratch = GitPatchApplier(root: scratch)
        do {
            try inScratch.git(["cherry-pick", "--no-commit", commit])
        } catch {
            let conflicts = ((try? inScratch.git(["diff", "--name-only", "--diff-filter=U"])) ?? "")
                .split(separator: "\n").prefix(3).joined(separator: ", ")
            return .failure(
                .init(
                    reason:
                        "upstream fix \(commit.prefix(12)) does not apply to your tree\(conflicts.isEmpty ? "" : " (conflicts in \(conflicts))"): port it by hand"
                ))
        }
        guard let diff = try? inScratch.git(["diff", "--cached", "HEAD"]), !diff.isEmpty else {
            return .failure(.init(reason: "upstream fix \(commit.prefix(12)) changes nothing in your tree"))
        }
        return .success(diff)
    }
}
