import CrashwatchKit
import Foundation

/// Applies an approved patch to the user's source tree through git, so the change is atomic and reviewable: checks
/// the paths, `git apply --check`, a branch `crashwatch/<group>`, `git apply`, and a commit naming the crash.
///
/// Nothing here runs without the user's approval; a refused or failed step leaves the tree as it was.
public struct GitPatchApplier: Sendable {
    public let root: String
    public var timeout: Duration = .seconds(60)

    public init(root: String) {
        self.root = root
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            case unsafePath, notARepository, dirtyTree, doesNotApply, gitFailed, nothingToRevert
        }
        public var kind: Kind
        public var detail: String
        public var description: String {
            switch kind {
            case .unsafePath: "refused: \(detail)"
            case .notARepository: "\(detail) is not a git repository; crashwatch applies fixes only through git"
            case .dirtyTree: "the source tree has uncommitted changes (\(detail)); stash them or cancel"
            case .doesNotApply: "the patch does not apply to the current tree: \(detail)"
            case .gitFailed: "git failed: \(detail)"
            case .nothingToRevert: detail
            }
        }
    }

    public struct Applied: Sendable, Equatable {
        public var branch: String
        public var commit: String
        /// The branch HEAD was on before, where `git checkout` goes back to.
        public var originalBranch = ""
        /// Set when the repository and the user's global config name nobody, and the commit was authored as
        /// crashwatch: what to run so the next one is theirs.
        public var identityNote: String?
    }

    static let fallbackIdentity = ["-c", "user.name=crashwatch", "-c", "user.email=crashwatch@localhost"]

    /// The user's own git identity (repository, then global config) when they have one; otherwise crashwatch's,
    /// and a note that says so.
    public func commitIdentity() -> (arguments: [String], note: String?) {
        let email = (try? git(["config", "user.email"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let name = (try? git(["config", "user.name"]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if !email.isEmpty, !name.isEmpty { return ([], nil) }
        return (
            Self.fallbackIdentity,
            "no git identity is set, so the commit is authored as crashwatch <crashwatch@localhost> (git config --global user.name/user.email)"
        )
    }

    /// The uncommitted changes, if any (`git status --porcelain`), so the user can choose to stash or cancel.
    public func dirtyFiles() throws(Failure) -> [String] {
        let status = try git(["status", "--porcelain"])
        return status.split(separator: "\n").map { String($0.dropFirst(3)) }
    }

    static let stashMessage = "crashwatch: before applying a fix"

    /// Stashes uncommitted changes (the user chose "stash").
    public func stash() throws(Failure) {
        _ = try git(["stash", "push", "--include-untracked", "-m", Self.stashMessage])
    }

    /// The newest stash crashwatch made before applying a fix, and the branch it was made on.
    public func crashwatchStash() -> (ref: String, branch: String)? {
        guard let list = try? git(["stash", "list", "--format=%gd%x1f%gs"]) else { return nil }
        for entry in list.split(separator: "\n") {
            let fields = entry.split(separator: "\u{1f}", maxSplits: 1).map(String.init)
            // `On main: crashwatch: before applying a fix`.
            guard fields.count == 2, fields[1].hasSuffix(": \(Self.stashMessage)"), fields[1].hasPrefix("On ") else {
                continue
            }
            return (fields[0], String(fields[1].dropFirst(3).dropLast(Self.stashMessage.count + 2)))
        }
        return nil
    }

    /// The checked-out branch (`HEAD` when detached).
    public func currentBranch() -> String? {
        (try? git(["rev-parse", "--abbrev-ref", "HEAD"]))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stashes the uncommitted changes (the user chose "stash"), then applies; on any failure the stash is popped back,
    /// so the user's edits are never left only in a stash nobody mentions.
    public func stashAndApply(diff: String, groupID: String, message: String) throws(Failure) -> Applied {
        try stash()
        do {
            return try apply(diff: diff, groupID: groupID, message: message)
        } catch {
            let restored = (try? git(["stash", "pop"])) != nil
            let note =
                restored
                ? "; your uncommitted changes were put back (git stash pop)"
                : "; your uncommitted changes are still in the stash (git stash list, then git stash pop)"
            throw Failure(kind: error.kind, detail: error.detail + note)
        }
    }

    /// A branch name for the fix that no existing branch has: an earlier fix of the same group keeps its branch.
    func freeBranchName(for groupID: String) -> String {
        let base = "crashwatch/\(groupID.prefix(12))"
        var candidate = base
        var number = 2
        while (try? git(["rev-parse", "--verify", "--quiet", "refs/heads/\(candidate)"])) != nil {
            candidate = "\(base)-\(number)"
            number += 1
        }
        return candidate
    }

    /// Whether the patch would apply to the tree as it is (`git apply --check`).
    public func check(diff: String) throws(Failure) {
        try withCheckedPatchFile(diff) { _ throws(Failure) in }
    }

    /// Writes `diff` to a temporary patch file that is safe (no path outside the tree) and applies cleanly
    /// (`git apply --check`), runs `body` with its path, and removes it.
    private func withCheckedPatchFile<Result>(
        _ diff: String, _ body: (String) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        if let problem = UnifiedDiff.unsafePath(in: diff) { throw Failure(kind: .unsafePath, detail: problem) }
        let patchFile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "crashwatch-\(UUID().uuidString).patch"
        ).path
        do { try diff.write(toFile: patchFile, atomically: true, encoding: .utf8) } catch {
            throw Failure(kind: .gitFailed, detail: "cannot write the patch: \(error)")
        }
        defer { try? FileManager.default.removeItem(atPath: patchFile) }
        _ = try git(["apply", "--check", patchFile], failure: .doesNotApply)
        return try body(patchFile)
    }

    public func apply(diff: String, groupID: String, message: String) throws(Failure) -> Applied {
        if let problem = UnifiedDiff.unsafePath(in: diff) { throw Failure(kind: .unsafePath, detail: problem) }
        _ = try git(["rev-parse", "--git-dir"], failure: .notARepository, detail: root)
        let dirty = try dirtyFiles()
        if !dirty.isEmpty { throw Failure(kind: .dirtyTree, detail: dirty.prefix(5).joined(separator: ", ")) }
        return try withCheckedPatchFile(diff) { patchFile throws(Failure) in
            let original = try git(["rev-parse", "--abbrev-ref", "HEAD"]).trimmingCharacters(
                in: .whitespacesAndNewlines)
            let identity = commitIdentity()
            let gitFolder = try gitDirectory()
            // The commit is made in an index of its own, away from the user's index, working tree and HEAD; HEAD
            // moves last, in one checkout. A stop before it leaves the user's tree exactly as it was.
            let index = "\(gitFolder)/crashwatch-apply.index"
            defer { try? FileManager.default.removeItem(atPath: index) }
            let inIndex = ["GIT_INDEX_FILE=\(index)"]
            func makeCommit(on base: String) throws(Failure) -> String {
                try git(["read-tree", base], environment: inIndex)
                try git(["apply", "--cached", patchFile], environment: inIndex, failure: .doesNotApply)
                let tree = try git(["write-tree"], environment: inIndex).trimmingCharacters(in: .whitespacesAndNewlines)
                return try git(identity.arguments + ["commit-tree", tree, "-p", base, "-m", message])
                    .trimmingCharacters(in: .whitespacesAndNewlines)
            }
            // On the group's fix branch already (a second fix for the same crash): one more commit on it, never a
            // reset. Elsewhere, when that branch exists, the fix gets a branch of its own (`-2`, `-3`…): the patch was
            // made and compiled against HEAD, not against an older fix branch.
            let groupBranch = "crashwatch/\(groupID.prefix(12))"
            let groupTip = (try? git(["rev-parse", "--verify", "--quiet", "refs/heads/\(groupBranch)"]))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let base = try headCommit()
            let onGroupBranch = groupTip == base && original == groupBranch
            let branch = onGroupBranch || groupTip == nil ? groupBranch : freeBranchName(for: groupID)
            // A journal first: if crashwatch is stopped between these steps (a signal, a power cut), the next start
            // finds it and puts the tree back (`recoverInterruptedApply`).
            let journal = ApplyJournal(
                originalBranch: original, branch: branch, base: base, branchExisted: onGroupBranch)
            journal.write(in: gitFolder)
            defer { ApplyJournal.remove(in: gitFolder) }
            let commit = try makeCommit(on: base)
            if onGroupBranch {
                // Branch, index and working tree move together, to the new commit.
                try git(["merge", "--ff-only", "-q", commit])
            } else {
                try git(["branch", branch, commit])
                do throws(Failure) {
                    try git(["checkout", "-q", branch])
                } catch {
                    _ = try? git(["branch", "-D", branch])
                    throw error
                }
            }
            var applied = Applied(branch: branch, commit: commit, identityNote: identity.note)
            applied.originalBranch = original
            return applied
        }
    }

    func headCommit() throws(Failure) -> String {
        try git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func gitDirectory() throws(Failure) -> String {
        let directory = try git(["rev-parse", "--absolute-git-dir"]).trimmingCharacters(in: .whitespacesAndNewlines)
        return directory
    }

    /// Puts the tree back after an apply that was interrupted (its journal is still there): a branch with no fix commit
    /// yet is dropped with whatever was staged, and the original branch checked out; a fix that was committed is kept.
    ///
    /// Returns what was done, for the user; nil when there was nothing to do.
    public func recoverInterruptedApply() -> String? {
        guard let directory = try? gitDirectory(), let journal = ApplyJournal.read(in: directory) else { return nil }
        defer { ApplyJournal.remove(in: directory) }
        let tip = (try? git(["rev-parse", "--verify", "-q", journal.branch]))?.trimmingCharacters(
            in: .whitespacesAndNewlines)
        if let tip, tip != journal.base {
            let current = (try? git(["rev-parse", "--abbrev-ref", "HEAD"]))?.trimmingCharacters(
                in: .whitespacesAndNewlines)
            return current == journal.branch
                ? "an interrupted fix was found complete: commit \(tip.prefix(12)) on \(journal.branch) is kept"
                : "an interrupted fix was committed but not checked out: commit \(tip.prefix(12)) is on \(journal.branch) (git checkout \(journal.branch)); you are still on \(current ?? journal.originalBranch)"
        }
        let current = (try? git(["rev-parse", "--abbrev-ref", "HEAD"]))?.trimmingCharacters(in: .whitespacesAndNewlines)
        if current == journal.branch {
            _ = try? git(["reset", "--hard", "HEAD"])
            _ = try? git(["checkout", journal.originalBranch])
        }
        // A branch the apply made is removed; the group's branch that was there before is left as it was.
        if tip != nil, !journal.branchExisted { _ = try? git(["branch", "-D", journal.branch]) }
        return
            "a fix that was being applied when crashwatch stopped was undone: back on \(journal.originalBranch), \(journal.branch) removed"
    }

    /// Reverts `commit` with a new commit, authored as the user.
    public func revert(commit: String) throws(Failure) {
        try git(commitIdentity().arguments + ["revert", "--no-edit", commit])
    }

    /// Reverts the newest crashwatch fix of crash group `groupKey` that the checked-out branch has and that was not
    /// reverted yet, with a new commit (the fix stays in history); says what it did.
    ///
    /// A fix on another branch is not reverted here: the user is told where it is.
    public func revertFix(groupKey: String) throws(Failure) -> String {
        _ = try git(["rev-parse", "--git-dir"], failure: .notARepository, detail: root)
        let fixes = fixCommits().filter { $0.groupKey == groupKey }
        guard let newest = fixes.first else {
            throw Failure(
                kind: .nothingToRevert, detail: "no crashwatch fix of this crash group is in \(root)'s history")
        }
        let branch =
            (try? git(["rev-parse", "--abbrev-ref", "HEAD"]))?.trimmingCharacters(in: .whitespacesAndNewlines)
            ?? "HEAD"
        func isReverted(_ commit: String) -> Bool {
            let found = (try? git(["log", "--format=%H", "--grep=This reverts commit \(commit)", "HEAD"])) ?? ""
            return !found.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        let onBranch = fixes.filter { (try? git(["merge-base", "--is-ancestor", $0.commit, "HEAD"])) != nil }
        guard let fix = onBranch.first(where: { !isReverted($0.commit) }) else {
            if !onBranch.isEmpty {
                throw Failure(
                    kind: .nothingToRevert,
                    detail: "the fix \(onBranch[0].commit.prefix(12)) on \(branch) is reverted already")
            }
            let holders = ((try? git(["branch", "--format=%(refname:short)", "--contains", newest.commit])) ?? "")
                .split(separator: "\n").map(String.init)
            throw Failure(
                kind: .nothingToRevert,
                detail:
                    "the fix \(newest.commit.prefix(12)) is on \(holders.isEmpty ? "no branch" : holders.joined(separator: ", ")), not on \(branch): check it out to revert it there, or delete that branch"
            )
        }
        let dirty = try dirtyFiles()
        if !dirty.isEmpty { throw Failure(kind: .dirtyTree, detail: dirty.prefix(5).joined(separator: ", ")) }
        try revert(commit: fix.commit)
        let subject =
            (try? git(["log", "-1", "--format=%s", fix.commit]))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return "reverted \(fix.commit.prefix(12)) (\(subject)) on \(branch) with a new commit"
    }

    /// A fix commit found in the tree: the crash group its message names (`Crash-Group:` trailer, or the older
    /// `Crash group:` line), when it was made, and its patch.
    public struct FixCommit: Sendable, Equatable {
        public var groupKey: String
        public var commit: String
        public var time: Int64
        public var patch: String
    }

    /// Every crashwatch fix commit on any branch (at most `limit`), newest first.
    public func fixCommits(limit: Int = 200) -> [FixCommit] {
        guard
            let log = try? git([
                "log", "--all", "-E", "--grep=^Crash[- ][Gg]roup: ", "-n", "\(limit)", "--format=%H%x1f%ct%x1f%B%x1e",
            ])
        else { return [] }
        return log.split(separator: "\u{1e}").compactMap { entry -> FixCommit? in
            let fields = entry.trimmingCharacters(in: .whitespacesAndNewlines).split(
                separator: "\u{1f}", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, let time = Int64(fields[1]) else { return nil }
            let key = fields[2].split(separator: "\n").lazy.compactMap { line -> String? in
                for prefix in ["Crash-Group: ", "Crash group: "] where line.hasPrefix(prefix) {
                    return line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
                }
                return nil
            }.first
            guard let key, !key.isEmpty else { return nil }
            let patch = (try? git(["show", "--format=", String(fields[0])])) ?? ""
            return FixCommit(groupKey: key, commit: String(fields[0]), time: time, patch: patch)
        }
    }

    /// Runs git in the tree; `environment` (`NAME=value`) is added for this call only.
    @discardableResult
    public func git(
        _ arguments: [String], environment: [String] = [], failure: Failure.Kind = .gitFailed, detail: String? = nil
    ) throws(Failure) -> String {
        let completed: ChildProcess.Completed
        // ChildProcess starts `/usr/bin/env`, which takes NAME=value words before the command.
        do { completed = try ChildProcess.run(environment + ["git", "-C", root] + arguments) } catch {
            throw Failure(kind: .gitFailed, detail: "cannot run git: \(error.reason)")
        }
        guard completed.status == 0 else {
            // Some failures speak on standard output only (`commit` with nothing to commit).
            var message = completed.errorText.trimmingCharacters(in: .whitespacesAndNewlines)
            if message.isEmpty { message = completed.outputText.trimmingCharacters(in: .whitespacesAndNewlines) }
            let command = arguments.first { !$0.hasPrefix("-") && !$0.contains("=") } ?? "?"
            throw Failure(kind: failure, detail: detail ?? (message.isEmpty ? "git \(command) failed" : message))
        }
        return completed.outputText
    }
}
