import AppCore
import CrashAnalysis
import CrashInbox
import CrashStore
import FixEngine
import Foundation
import TestSupport
import Testing

@testable import Dashboard
@testable import TerminalUI

/// The fix preview: keys become commands for the app, and the screen shows candidates, evidence and a coloured diff.
@Suite struct FixPreviewTests {
    /// The fixture source tree of the fix engine's tests (shaped like TrinityCore's `src/server/game/…`).
    static let source = Repository.path("Tests/FixEngineTests/Fixtures")

    static let crash = """
        Program terminated with signal SIGSEGV, Segmentation fault.
        #0  0x0000556d48e636c6 in Unit::DealDamage (attacker=0x1, victim=0x2, damage=5) at /home/tc/src/server/game/Entities/Unit/Unit.cpp:16
        #1  0x0000556d49260b9e in World::ProcessDelayedDamages (this=0x3) at /home/tc/src/server/game/World/World.cpp:2410
        """

    /// A dashboard with one analysed crash in the inbox, focused.
    static func state() throws -> DashboardState {
        var state = try DashboardScreenTests.fixtureState(Size(width: 120, height: 40))
        let library = try RuleLibrary.load(directories: [DashboardScreenTests.rules])
        let result = library.analyzer.analyze(text: crash, file: "gdb-crash.txt")
        state.crashes.inbox = [
            InboxItem(
                id: 1, path: "Crashes/gdb-crash.txt", result: result,
                outcome: .recorded(groupID: 7, lifecycle: .newGroup), groupCount: 1, time: 0, latency: 0)
        ]
        state.handle(.character("5"))
        return state
    }

    @Test func keysOpenApproveAndReject() throws {
        var state = try Self.state()
        state.effects = []
        state.handle(.character("F"))
        #expect(state.mode == .fixPreview)
        #expect(state.effects == [.proposeFixes(inboxItemID: 1, groupID: 7)])
        // What the app does: candidates from the fixture tree.
        let result = try #require(state.crashes.inbox.first?.result)
        state.crashes.fixPreview?.candidates = FixProposer(sourceRoot: Self.source).candidates(for: result)
        state.crashes.fixPreview?.busy = nil
        state.effects = []
        state.handle(.character("A"))
        guard case .prompt(let prompt) = state.mode, case .confirmApply(0) = prompt.kind else {
            Issue.record("expected the confirm prompt"); return
        }
        state.handle(.character("n"))
        state.handle(.enter)
        #expect(state.effects.isEmpty, "anything but y leaves the tree alone")
        #expect(state.mode == .fixPreview)
        state.handle(.character("A"))
        state.handle(.character("y"))
        state.handle(.enter)
        #expect(state.effects == [.applyFix(index: 0, stashFirst: false)])
        #expect(state.crashes.fixPreview?.busy == "applying…")
        state.handle(.character("R"))
        #expect(state.mode == .fixPreview, "no second decision while one is being carried out")
        // The app finished applying.
        state.crashes.fixPreview?.busy = nil
        state.effects = []
        state.handle(.tab)
        #expect(state.crashes.fixPreview?.selected == 1)
        state.handle(.character("R"))
        for c in "logs only" { state.handle(.character(c)) }
        state.handle(.enter)
        #expect(state.effects == [.rejectFix(index: 1, reason: "logs only")])
        state.handle(.escape)
        #expect(state.mode == .normal)
        #expect(state.crashes.fixPreview == nil)
    }

    /// The fix preview opened with F, filled as the app fills it: candidates from the fixture tree.
    static func previewWithCandidates() throws -> DashboardState {
        var state = try Self.state()
        state.handle(.character("F"))
        let result = try #require(state.crashes.inbox.first?.result)
        state.crashes.fixPreview?.candidates = FixProposer(sourceRoot: Self.source).candidates(for: result)
        state.crashes.fixPreview?.busy = nil
        return state
    }

    /// j/k move between candidates, as between rows everywhere else; J/K scroll the diff.
    @Test func jAndKChangeCandidateAndShiftedOnesScrollTheDiff() throws {
        var state = try Self.previewWithCandidates()
        #expect((state.crashes.fixPreview?.candidates.count ?? 0) >= 2)
        state.handle(.character("j"))
        #expect(state.crashes.fixPreview?.selected == 1)
        state.handle(.character("k"))
        #expect(state.crashes.fixPreview?.selected == 0)
        state.handle(.character("J"))
        #expect(state.crashes.fixPreview?.scroll == 1)
        #expect(state.crashes.fixPreview?.selected == 0)
        state.handle(.character("K"))
        #expect(state.crashes.fixPreview?.scroll == 0)
    }

    @Test func previewScreen() throws {
        var state = try Self.previewWithCandidates()
        GoldenFile.assertMatches(
            GoldenFile.render(DashboardRenderer.render(state), withRoles: true), named: "fix-preview-120x40")
        // At 80 columns nothing of the patch runs off the screen: long lines wrap, marked ↳.
        state.size = Size(width: 80, height: 40)
        let narrow = DashboardRenderer.render(state).text
        GoldenFile.assertMatches(GoldenFile.render(DashboardRenderer.render(state)), named: "fix-preview-80x40")
        let diff = try #require(state.crashes.fixPreview?.current?.diff)
        for line in diff.split(separator: "\n") where line.hasPrefix("+") && !line.hasPrefix("+++") {
            let compact = line.filter { !$0.isWhitespace }
            #expect(narrow.filter { !$0.isWhitespace && $0 != "↳" }.contains(compact), "\(line)")
        }
    }
}

/// The loop's fix preview never strands the user: Esc is "decide later", a rejection offers the next candidate.
@Suite struct LoopFixPreviewTests {
    private func loopState() throws -> (DashboardState, Int) {
        var state = try FixPreviewTests.state()
        let result = try #require(state.crashes.inbox.first?.result)
        let candidates = FixProposer(sourceRoot: FixPreviewTests.source).candidates(for: result)
        state.loop = LoopStatus(mode: "semi")
        state.showLoopCandidates(candidates, for: result)
        state.effects = []
        return (state, candidates.count)
    }

    private func reject(_ state: inout DashboardState, because reason: String) {
        state.handle(.character("R"))
        for key in reason { state.handle(.character(key)) }
        state.handle(.enter)
    }

    @Test func escapeInTheLoopsPreviewDecidesLaterAndLReturns() throws {
        var (state, count) = try loopState()
        try #require(count >= 2, "the fixture crash has several candidates")
        state.handle(.escape)
        #expect(state.mode == .normal)
        #expect(state.effects.isEmpty, "the loop is not told anything: it waits")
        #expect(state.message?.text.contains("L returns to the fix preview") == true)
        state.handle(.character("L"))
        #expect(state.mode == .fixPreview)
        #expect(state.crashes.fixPreview?.candidates.count == count)
        // R, then Esc at the reason: back in the preview, whose keys still work.
        state.handle(.character("R"))
        state.handle(.escape)
        #expect(state.mode == .fixPreview)
        state.handle(.character("A"))
        guard case .prompt(let prompt) = state.mode, case .confirmApply = prompt.kind else {
            Issue.record("A asks to confirm, as it did before R")
            return
        }
    }

    @Test func rejectingOneCandidateOffersTheNextAndOnlyAllRejectedTellTheLoop() throws {
        var (state, count) = try loopState()
        try #require(count >= 2)
        reject(&state, because: "wrong cause")
        #expect(state.mode == .fixPreview)
        #expect(state.crashes.fixPreview?.selected == 1)
        #expect(state.crashes.fixPreview?.rejected == [0: "wrong cause"])
        #expect(state.effects.isEmpty)
        let screen = GoldenFile.render(DashboardRenderer.render(state))
        #expect(screen.contains("✗ rejected: wrong cause"))
        for index in 1..<count { reject(&state, because: "no \(index)") }
        let reasons = (1..<count).map { "no \($0)" }.joined(separator: "; ")
        #expect(
            state.effects
                == [.answerLoop(.reject(reason: "all \(count) candidate(s) rejected: wrong cause; \(reasons)"))])
        #expect(state.mode == .normal && state.crashes.fixPreview == nil)
    }
}
