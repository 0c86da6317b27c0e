import CrashAnalysis
import FixEngine
import Supervisor

extension DashboardState {
    /// Adds a step of the supervised loop; once the loop applies or builds, its fix preview has been answered.
    mutating func recordLoopEvent(_ event: CrashLoop.Event) {
        guard let started = loop?.started else { return }
        loop?.entries.append(LoopStatus.Entry(event: event, elapsed: .now - started))
        if event.step == .apply || event.step == .build, crashes.fixPreview?.forLoop == true {
            crashes.fixPreview = nil
            mode = .normal
        }
        needsRedraw = true
    }

    /// Opens the fix preview on the candidates the loop proposes, for the user's A or R.
    mutating func showLoopCandidates(_ candidates: [FixCandidate], for result: CrashAnalysisResult) {
        var preview = FixPreview(
            signature: result.signature.signature, groupKey: result.signature.groupKey, groupID: nil)
        preview.candidates = candidates
        preview.forLoop = true
        crashes.fixPreview = preview
        mode = .fixPreview
        message = StatusMessage("the loop proposes a fix for \(result.signature.signature): A approve, R reject")
        needsRedraw = true
    }
}
