import AppCore
import CrashAnalysis
import CrashInbox
import CrashStore
import FixEngine
import TerminalUI

// The fix preview: opening it, its keys, and showing what the effect runner did with a proposal, an approval or a
// rejection.
extension DashboardState {
    mutating func openFixPreview(inboxItemID: Int?, groupID: Int64?) {
        let item = inboxItemID.flatMap { id in crashes.inbox.first { $0.id == id } }
        let group = groupID.flatMap { id in crashes.groups.first { $0.id == id } }
        guard let signature = item?.result?.signature.signature ?? group?.signature else {
            message = StatusMessage("no analysed crash selected", isProblem: true)
            return
        }
        let key = item?.result?.signature.groupKey ?? group?.groupKey ?? ""
        crashes.fixPreview = FixPreview(signature: signature, groupKey: key, groupID: groupID, busy: "proposing fixes…")
        mode = .fixPreview
        effects.append(.proposeFixes(inboxItemID: inboxItemID, groupID: groupID))
    }

    mutating func handleFixPreview(_ key: Key) {
        guard var preview = crashes.fixPreview else {
            mode = .normal
            return
        }
        let count = preview.candidates.count
        switch KeyTable.fixPreviewByKey[key] {
        case .help:
            helpReturn = .fixPreview
            mode = .help
            return
        case .nextCandidate:
            if count > 0 { preview.selected = (preview.selected + 1) % count }
            preview.scroll = 0
        case .previousCandidate:
            if count > 0 { preview.selected = (preview.selected + count - 1) % count }
            preview.scroll = 0
        case .down: preview.scroll += 1
        case .up: preview.scroll = max(0, preview.scroll - 1)
        case .pageDown: preview.scroll += max(1, size.height - 10)
        case .pageUp: preview.scroll = max(0, preview.scroll - max(1, size.height - 10))
        case .approve:
            guard preview.busy == nil, let candidate = preview.current else { return }
            guard candidate.diff != nil else {
                message = StatusMessage("this candidate has no patch: \(candidate.problem ?? "")", isProblem: true)
                return
            }
            guard candidate.canBeApproved else {
                message = StatusMessage(
                    "cannot approve: \(candidate.compileCheck.map { "\($0)" } ?? "") — a fix that does not compile is not applied",
                    isProblem: true)
                return
            }
            mode = .prompt(Prompt(kind: .confirmApply(index: preview.selected)))
            return
        case .edit:
            guard preview.busy == nil, let candidate = preview.current else { return }
            guard candidate.diff != nil else {
                message = StatusMessage(
                    "this candidate has no patch to edit: \(candidate.problem ?? "")", isProblem: true)
                return
            }
            effects.append(.editFix(index: preview.selected))
        case .reject:
            guard preview.busy == nil, preview.current != nil else { return }
            mode = .prompt(Prompt(kind: .rejectReason(index: preview.selected)))
            return
        case .close:
            if preview.forLoop {
                // Decide later: the loop waits, and L comes back here.
                crashes.fixPreview = preview
                mode = .normal
                message = StatusMessage(
                    "the loop waits for your decision on \(count) candidate(s) — L returns to the fix preview")
                return
            }
            crashes.fixPreview = nil
            mode = .normal
            return
        case nil:
            break
        }
        crashes.fixPreview = preview
    }

    /// Shows the candidates the runner proposed (or why there are none).
    mutating func showProposal(_ proposal: EffectRunner.FixProposal) {
        if !proposal.isProblem {
            crashes.fixPreview?.candidates = proposal.candidates
            crashes.fixPreview?.reportFiles = proposal.reportFiles
        }
        crashes.fixPreview?.busy = nil
        if let text = proposal.message { message = StatusMessage(text, isProblem: proposal.isProblem) }
        needsRedraw = true
    }

    /// What the stash watch found: on the user's return to the branch the stash was made on, the changes are offered
    /// back (once per stash, not on every look).
    mutating func noticeStash(_ notice: EffectRunner.StashNotice?) {
        let before = stashNotice
        stashNotice = notice
        guard let notice, notice.isOnItsBranch, before?.isOnItsBranch != true || before?.ref != notice.ref else {
            return
        }
        message = StatusMessage(
            "back on \(notice.branch): the changes crashwatch stashed before applying a fix wait in \(notice.ref) — :stash-pop puts them back"
        )
        needsRedraw = true
    }

    /// Puts the user's edited patch in place of candidate `index`, with what checking and compiling it said.
    mutating func showEdited(_ candidate: FixCandidate, index: Int) {
        guard var preview = crashes.fixPreview, index < preview.candidates.count else { return }
        preview.candidates[index] = candidate
        preview.busy = nil
        preview.scroll = 0
        crashes.fixPreview = preview
        let check = candidate.compileCheck.map { "\($0)" } ?? "not compile-checked"
        message = StatusMessage(
            "your edit: \(check)\(candidate.canBeApproved ? " — A approves it" : "")",
            isProblem: !candidate.canBeApproved)
    }

    /// Shows how applying candidate `candidateIndex` ended; a dirty tree asks whether to stash.
    mutating func showApplied(_ outcome: EffectRunner.ApplyOutcome, candidateIndex: Int) {
        crashes.fixPreview?.busy = nil
        switch outcome {
        case .applied(let branch, let commit, let stashed, let note, let from):
            let back = from.isEmpty || from == branch ? "" : " — git checkout \(from) goes back"
            message = StatusMessage(
                "applied on branch \(branch) (commit \(commit.prefix(12))); HEAD is on \(branch) now\(back)"
                    + (stashed
                        ? "; your uncommitted changes are in the stash: back on \(from), :stash-pop puts them back"
                        : "")
                    + (note.map { "; \($0)" } ?? ""))
        case .dirtyTree(let problem):
            mode = .prompt(Prompt(kind: .dirtyTree(index: candidateIndex)))
            message = StatusMessage(problem, isProblem: true)
        case .failed(let problem):
            message = StatusMessage(problem, isProblem: true)
        }
        needsRedraw = true
    }

    /// Says where a rejection was kept.
    mutating func showRejected(reason: String, stored: Bool) {
        message =
            stored
            ? StatusMessage("rejected: \(reason) (kept with the crash group)")
            : StatusMessage("rejected: \(reason) (not stored: the crash is not in the history)", isProblem: true)
        needsRedraw = true
    }
}
