import AppCore

extension DashboardState {
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

    /// Shows how applying candidate `candidateIndex` ended; a dirty tree asks whether to stash.
    mutating func showApplied(_ outcome: EffectRunner.ApplyOutcome, candidateIndex: Int) {
        crashes.fixPreview?.busy = nil
        switch outcome {
        case .applied(let branch, let commit):
            message = StatusMessage("applied on branch \(branch) (commit \(commit.prefix(12)))")
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
