import CrashAnalysis
import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import FixEngine

/// External providers faked by small shell scripts: one that answers well, one that hangs, one that crashes, one that
/// prints junk, and ones whose diff does not apply or leaves the tree.
@Suite(.timeLimit(.minutes(1))) struct FixProviderTests {
    let repo: FixtureRepository
    let result: CrashAnalysisResult

    init() throws {
        repo = try FixtureRepository()
        result = try FixProposerTests.analyzer().analyze(text: FixProposerTests.dealDamageCrash)
    }

    /// A provider command that prints `response` (written to a file beside the tree).
    private func provider(answering response: String, timeout: Duration = .seconds(10)) throws -> FixProvider {
        let file = "\(repo.root)/../response-\(UUID().uuidString).json"
        try response.write(toFile: file, atomically: true, encoding: .utf8)
        var provider = FixProvider(command: "cat > /dev/null; cat '\(file)'")
        provider.timeout = timeout
        return provider
    }

    private func responseJSON(diff: String, confidence: Double = 0.7) throws -> String {
        let response = FixProvider.Response(
            diff: diff, explanation: "guard the spell mods", confidence: confidence, symptomOnly: false)
        return String(decoding: try JSONEncoder().encode(response), as: UTF8.self)
    }

    private func goodDiff() throws -> String {
        let (function, lines) = try SourceLocator(root: repo.root).locate("Unit::DealDamage")
        return UnifiedDiff.insertion(
            file: function.file, lines: lines, after: function.bodyOpenLine, inserted: ["    // provider fix", ""])
    }

    @Test func aGoodAnswerBecomesACandidate() throws {
        let proposer = FixProposer(sourceRoot: repo.root)
        let candidate = proposer.candidate(
            fromProvider: try provider(answering: try responseJSON(diff: try goodDiff())), result: result)
        #expect(candidate.problem == nil)
        #expect(candidate.source == "provider")
        #expect(candidate.confidence == 0.7)
        #expect(candidate.filesTouched == ["src/server/game/Entities/Unit/Unit.cpp"])
    }

    @Test func theRequestCarriesTheCrashAndTheCode() throws {
        let request = FixProvider.request(for: result, sourceRoot: repo.root)
        #expect(request.signature == result.signature.signature)
        #expect(request.code.first?.function == "Unit::DealDamage")
        #expect(request.code.first?.text.contains("m_spellModTakingDamage") == true)
    }

    @Test func hangingCrashingAndJunkProvidersGiveAClearMessage() throws {
        let proposer = FixProposer(sourceRoot: repo.root)
        var hanging = FixProvider(command: "sleep 30")
        hanging.timeout = .milliseconds(300)
        #expect(proposer.candidate(fromProvider: hanging, result: result).problem?.contains("gave no answer") == true)
        let crashing = FixProvider(command: "echo boom >&2; exit 3")
        let crashProblem = proposer.candidate(fromProvider: crashing, result: result).problem
        #expect(crashProblem?.contains("failed (exit 3): boom") == true)
        let junk = FixProvider(command: "cat > /dev/null; echo hello")
        #expect(proposer.candidate(fromProvider: junk, result: result).problem?.contains("not a response JSON") == true)
    }

    @Test func aHungProviderIsStoppedWithEverythingItStarted() throws {
        let scratch = TemporaryDirectory("cw-hung-provider")
        let pidFile = scratch.file("helper.pid")
        var hanging = FixProvider(command: "sleep 300 & echo $! > '\(pidFile)'; sleep 300")
        hanging.timeout = .milliseconds(500)
        let problem = FixProposer(sourceRoot: repo.root).candidate(fromProvider: hanging, result: result).problem
        #expect(problem?.contains("gave no answer") == true)
        let helper = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines)
        // KILL is sent when the provider is given up; the helper may need a moment to be scheduled and die.
        let deadline = ContinuousClock.now + .seconds(10)
        while !ProcessState.isGone(helper), ContinuousClock.now < deadline { usleep(20_000) }
        #expect(ProcessState.isGone(helper), "the provider's background helper was stopped with it")
    }

    @Test func diffsThatDoNotApplyOrLeaveTheTreeAreRefused() throws {
        let proposer = FixProposer(sourceRoot: repo.root)
        let stale = try goodDiff().replacingOccurrences(of: " {\n", with: " {  \n")
        let staleCandidate = proposer.candidate(
            fromProvider: try provider(answering: try responseJSON(diff: stale)), result: result)
        #expect(staleCandidate.diff == nil)
        #expect(staleCandidate.problem?.contains("does not apply") == true)
        let escaping = "--- a/../../etc/hosts\n+++ b/../../etc/hosts\n@@ -1 +1 @@\n-a\n+b\n"
        let escapingCandidate = proposer.candidate(
            fromProvider: try provider(answering: try responseJSON(diff: escaping)), result: result)
        #expect(escapingCandidate.problem == "refused: the patch leaves the source tree: ../../etc/hosts")
        #expect(try GitPatchApplier(root: repo.root).dirtyFiles().isEmpty, "nothing touched the tree")
    }
}
