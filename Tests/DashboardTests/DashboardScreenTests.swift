import AppCore
import Foundation
import LogWatch
import TestSupport
import Testing

@testable import Dashboard
@testable import TerminalUI

/// Whole screens rendered from the fixture logs at fixed sizes, compared with golden files in `Snapshots/`.
@Suite struct DashboardScreenTests {
    static let logs = Bundle.module.url(forResource: "Fixtures/logs", withExtension: nil)!.path

    static let rules = Repository.rules

    static func fixtureState(_ size: Size) throws -> DashboardState {
        let sources = try LogSourceSpec.panes(logsFolder: logs)
        let (triage, warning) = TriageRules.model(config: AppSettings(), directories: [rules])
        #expect(warning == nil)
        return DashboardSnapshot.fromFiles(sources, size: size, now: .now, triage: triage)
    }

    @Test(arguments: [Size(width: 80, height: 24), Size(width: 120, height: 40)])
    func followingBothLogs(size: Size) throws {
        let state = try Self.fixtureState(size)
        GoldenFile.assertMatches(
            GoldenFile.render(DashboardRenderer.render(state), withRoles: true),
            named: "follow-\(size.width)x\(size.height)")
    }

    @Test func helpOverlay() throws {
        var state = try Self.fixtureState(Size(width: 80, height: 24))
        state.handle(.character("2"))
        state.handle(.character("?"))
        GoldenFile.assertMatches(GoldenFile.render(DashboardRenderer.render(state)), named: "help-80x24")
    }

    /// Enter on a log line shows it whole; `|` wraps long lines in the pane (golden screens at 80 columns).
    @Test func lineViewAndWrappedLines() throws {
        var state = try Self.fixtureState(Size(width: 80, height: 24))
        var classifier = LineClassifier(firstNumber: 18)
        let long =
            "2025-10-31_11:15:01 ERROR [sql.sql] Table `creature_loot_template` Entry 95671 does not exist but it is used by Creature 325486, Creature 325487, Creature 325488 and Gameobject 181563 — ⚠️ check the loot tables"
        state.ingest(LogBatch(lines: [classifier.classify(RawLine(bytes: Array(long.utf8)))]), into: 0, live: false)
        state.handle(.character("1"))
        state.handle(.character("E"))
        state.handle(.enter)
        GoldenFile.assertMatches(GoldenFile.render(DashboardRenderer.render(state)), named: "line-view-80x24")
        state.handle(.escape)
        state.handle(.character("|"))
        GoldenFile.assertMatches(
            GoldenFile.render(DashboardRenderer.render(state), withRoles: true), named: "wrapped-80x24")
    }

    @Test func searchHighlightsMatchesAndMarksTheLine() throws {
        var state = try Self.fixtureState(Size(width: 80, height: 24))
        for key in "/creature" { state.handle(.character(key)) }
        GoldenFile.assertMatches(GoldenFile.render(DashboardRenderer.render(state)), named: "search-typing-80x24")
        state.handle(.enter)
        GoldenFile.assertMatches(
            GoldenFile.render(DashboardRenderer.render(state), withRoles: true), named: "search-80x24")
    }

    @Test func filteredAndPausedPanes() throws {
        var state = try Self.fixtureState(Size(width: 120, height: 40))
        state.handle(.character("2"))
        for key in "fbot " { state.handle(.character(key)) }
        state.handle(.enter)
        state.handle(.character("1"))
        state.handle(.character("="))
        var classifier = LineClassifier(firstNumber: 18)
        let more = (1...3).map {
            classifier.classify(
                RawLine(bytes: Array("2025-10-31_11:15:0\($0) ERROR [spells] arrived while paused \($0)".utf8)))
        }
        state.ingest(LogBatch(lines: more), into: 0, live: false)
        GoldenFile.assertMatches(GoldenFile.render(DashboardRenderer.render(state)), named: "filter-pause-120x40")
    }

    @Test(arguments: [Size(width: 30, height: 6), Size(width: 1, height: 1), Size(width: 39, height: 30)])
    func tooSmallTerminalShowsANotice(size: Size) throws {
        let state = try Self.fixtureState(size)
        let text = DashboardRenderer.render(state).text
        if size.width >= 18 {
            #expect(text.contains("terminal too small"))
            #expect(text.contains("(need 40×8)"))
        }
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count == size.height + 1)
    }

    @Test func everySizeFromTinyToLargeRendersWithoutTrapping() throws {
        var state = try Self.fixtureState(Size(width: 1, height: 1))
        state.handle(.character("?"))
        for width in stride(from: 0, through: 130, by: 7) {
            for height in 0...30 {
                state.size = Size(width: width, height: height)
                let grid = DashboardRenderer.render(state)
                #expect(grid.size == state.size)
            }
        }
    }

    @Test func demoSnapshotIsRepeatable() {
        let a = DashboardRenderer.render(DashboardSnapshot.demo(size: Size(width: 100, height: 30))).text
        let b = DashboardRenderer.render(DashboardSnapshot.demo(size: Size(width: 100, height: 30))).text
        #expect(a == b)
        #expect(a.contains("Server.log"))
        #expect(a.contains("Playerbot.log"))
    }
}

@Suite struct TriagePaneScreenTests {
    @Test func errorsPaneAlone() throws {
        var state = try DashboardScreenTests.fixtureState(Size(width: 120, height: 20))
        state.focus = .errors
        GoldenFile.assertMatches(
            GoldenFile.render(DashboardRenderer.render(state, only: .errors), withRoles: true), named: "errors-120x20")
    }

    @Test func warningsPaneAlone() throws {
        var state = try DashboardScreenTests.fixtureState(Size(width: 120, height: 16))
        state.focus = .warnings
        GoldenFile.assertMatches(
            GoldenFile.render(DashboardRenderer.render(state, only: .warnings)), named: "warnings-120x16")
    }

    @Test func narrowTerminalSwitchesToTheTriagePair() throws {
        var state = try DashboardScreenTests.fixtureState(Size(width: 80, height: 24))
        state.handle(.character("3"))
        GoldenFile.assertMatches(GoldenFile.render(DashboardRenderer.render(state)), named: "triage-80x24")
    }

    /// From 150 columns the side panes get the width their text needs: a warning template shows at least 40
    /// characters, the history its signature.
    @Test(arguments: [150, 160, 220])
    func sideBySideWidthsKeepTheColumnThatMatters(width: Int) throws {
        let state = try DashboardScreenTests.fixtureState(Size(width: width, height: 40))
        let screen = GoldenFile.render(DashboardRenderer.render(state))
        GoldenFile.assertMatches(screen, named: "wide-\(width)x40")
        let templateRow = try #require(screen.split(separator: "\n").first { $0.contains("SoloCombatStrategy") })
        let template = templateRow[templateRow.range(of: "SoloCombatStrategy")!.lowerBound...]
        #expect(template.trimmingCharacters(in: .whitespaces).count >= 40, "\(template)")
    }

    /// `z` gives the focused pane the whole screen (the tmux and k9s habit); `z` again gives the layout back.
    @Test func zoomGivesTheFocusedPaneTheWholeScreen() throws {
        var state = try DashboardScreenTests.fixtureState(Size(width: 120, height: 30))
        state.handle(.character("4"))
        state.handle(.character("z"))
        let screen = GoldenFile.render(DashboardRenderer.render(state))
        GoldenFile.assertMatches(screen, named: "zoom-warnings-120x30")
        #expect(!screen.contains("Server.log") && !screen.contains("3 Errors"))
        #expect(screen.split(separator: "\n").first?.contains("4 Warnings") == true)
        state.handle(.character("z"))
        #expect(GoldenFile.render(DashboardRenderer.render(state)).contains("3 Errors"))
    }

    @Test func wideTerminalShowsAllFourPanes() throws {
        let state = try DashboardScreenTests.fixtureState(Size(width: 200, height: 40))
        GoldenFile.assertMatches(GoldenFile.render(DashboardRenderer.render(state)), named: "wide-200x40")
    }

    @Test func demoWarningsAreRepeatable() throws {
        let (triage, _) = TriageRules.model(config: AppSettings(), directories: [DashboardScreenTests.rules])
        let a = DashboardRenderer.render(
            DashboardSnapshot.demo(size: Size(width: 120, height: 30), triage: triage), only: .warnings)
        let b = DashboardRenderer.render(
            DashboardSnapshot.demo(size: Size(width: 120, height: 30), triage: triage), only: .warnings)
        #expect(a == b)
        #expect(a.text.contains("SoloCombatStrategy: Bot <name> in combat but no victim"))
    }
}
