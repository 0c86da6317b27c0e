import AppCore
import CrashAnalysis
import CrashStore
import CrashwatchKit
import FixEngine
import Foundation
import TestSupport
import Testing

/// A fix committed while crashwatch was stopped before it wrote the approval: the next start records it from the
/// commit, once.
@Suite struct FixCommitRecordingTests {
    let scratch = TemporaryDirectory("cw-fix-commits")

    @Test func anApprovalLostBetweenCommitAndHistoryIsRecordedFromTheCommit() async throws {
        let tree = scratch.file("tree")
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        let git = GitPatchApplier(root: tree)
        try git.git(["init", "-q", "-b", "main"])
        try "int x;\n".write(toFile: "\(tree)/Unit.cpp", atomically: true, encoding: .utf8)
        try git.git(["add", "."])
        try git.git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "tree"])

        var setup = try CrashSetup.make(
            folders: [], historyPath: scratch.file("history.sqlite"), ruleDirectories: [Repository.rules])
        setup.sourceRoot = tree
        let history = try #require(setup.history)
        let result = setup.analyzer.analyze(
            text:
                "Program terminated with signal SIGSEGV, Segmentation fault.\n#0  0x1 in Unit::DealDamage () at Unit.cpp:1\n"
        )
        let outcome = await history.record(result, reportPath: "/crashes/a.txt", time: 0)
        guard case .recorded(let groupID, _) = outcome else {
            Issue.record("not stored: \(outcome)")
            return
        }
        // The commit the fix preview made, then crashwatch was killed before it wrote the decision.
        try "int x; // guarded\n".write(toFile: "\(tree)/Unit.cpp", atomically: true, encoding: .utf8)
        let candidate = FixCandidate(
            source: "template:bot-guard", title: "bot-guard in Unit::DealDamage", diff: nil, file: nil,
            explanation: "Skips bots.", isSymptomOnly: false, confidence: 0.5, evidence: [])
        try git.git([
            "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam",
            candidate.commitMessage(signature: result.signature.signature, groupKey: result.signature.groupKey),
        ])
        let commit = try git.git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)

        #expect(await setup.recordFixCommits() == 1)
        let decisions = try await history.decisions(groupID: groupID)
        #expect(decisions.count == 1)
        #expect(decisions.first?.decision == .approved)
        #expect(decisions.first?.commitHash == commit)
        #expect(decisions.first?.patch.contains("guarded") == true)
        #expect(await setup.recordFixCommits() == 0, "a second start records nothing more")
    }
}
