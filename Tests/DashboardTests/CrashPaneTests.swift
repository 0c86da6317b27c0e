import CrashAnalysis
import CrashInbox
import CrashStore
import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import Dashboard
@testable import TerminalUI

/// The crash inbox, history and detail view, filled from the shared `Tests/Fixtures/crashes` (reports that carry their own dates).
@Suite struct CrashPaneTests {
    static let crashes = Repository.sharedFixture("crashes")

    static func state(_ size: Size) async throws -> DashboardState {
        let base = try DashboardScreenTests.fixtureState(size)
        return try await DashboardSnapshot.addingCrashes(
            to: base, folders: [crashes], historyPath: nil, ruleDirectories: [DashboardScreenTests.rules])
    }

    @Test func inboxAndHistoryScreens() async throws {
        var state = try await Self.state(Size(width: 120, height: 24))
        state.handle(.character("5"))
        state.crashes.watching = "Fixtures/crashes"
        GoldenFile.assertMatches(GoldenFile.render(DashboardRenderer.render(state)), named: "crashes-120x24")
    }

    /// A history several hosts write: where each group was seen, the inbox's "also on", and the status bar while the
    /// shared history cannot be reached.
    @Test func aSharedHistoryShowsWhereEachCrashWasSeen() async throws {
        var state = try await Self.state(Size(width: 120, height: 24))
        state.handle(.character("5"))
        state.crashes.watching = "Fixtures/crashes"
        for group in state.crashes.groups {
            guard let id = group.id else { continue }
            state.crashes.groupSightings[id] = [
                HostSighting(
                    host: "live-host", realm: "1", count: group.count, firstSeen: group.firstSeen,
                    lastSeen: group.lastSeen, builds: group.buildsSeen)
            ]
        }
        let first = try #require(state.crashes.groups.first?.id)
        state.crashes.groupSightings[first]?.append(
            HostSighting(host: "test-host", realm: "2", count: 14, firstSeen: 0, lastSeen: 0, builds: []))
        let newest = try #require(state.crashes.inboxRows.first?.id)
        let index = try #require(state.crashes.inbox.firstIndex { $0.id == newest })
        state.crashes.inbox[index].elsewhere = [
            HostSighting(host: "test-host", realm: "2", count: 14, firstSeen: 0, lastSeen: 0, builds: [])
        ]
        state.crashes.historyOffline = "history offline, 3 waiting"
        state.message = nil
        GoldenFile.assertMatches(GoldenFile.render(DashboardRenderer.render(state)), named: "shared-history-120x24")
        let text = GoldenFile.render(DashboardRenderer.render(state))
        #expect(text.contains("also on realm 2, 14×"))
        #expect(text.contains("realm 1 ") && text.contains("realm 2 14×"))
        #expect(text.contains("history offline, 3 waiting"))
    }

    @Test func inboxIsNewestFirstAndGroupsDuplicates() async throws {
        let state = try await Self.state(Size(width: 120, height: 24))
        let rows = state.crashes.inboxRows
        #expect(rows.count == 5)
        #expect(rows.first?.result?.report.crashTime?.description == "2025-10-31 11:14:00")
        let dupes = rows.filter { $0.result?.signature.signature.contains("CreatureAI::UpdateVictim") == true }
        #expect(dupes.map(\.groupCount) == [2, 1], "the second build's report joins the first one's group")
        #expect(state.crashes.groups.count == 4)
    }

    @Test func detailViewShowsTheCrash() async throws {
        var state = try await Self.state(Size(width: 120, height: 40))
        state.handle(.character("5"))
        state.handle(.enter)
        guard case .crashDetail = state.mode else { Issue.record("expected the detail view"); return }
        #expect(state.effects.contains { if case .loadDetail = $0 { true } else { false } })
        #expect(state.crashes.inboxRows.first?.isUnread == false, "opening marks it read")
        GoldenFile.assertMatches(GoldenFile.render(DashboardRenderer.render(state)), named: "crash-detail-120x40")
    }

    @Test func lifecycleKeysBecomeCommands() async throws {
        var state = try await Self.state(Size(width: 120, height: 24))
        state.handle(.character("6"))
        #expect(state.effects.last == .refresh)
        state.effects = []
        let group = try #require(state.crashes.groups.first)
        state.handle(.character("r"))
        guard case .prompt(let prompt) = state.mode else { Issue.record("expected a prompt"); return }
        #expect(prompt.text.isEmpty && prompt.defaultText == group.buildsSeen.last, "Enter means the newest build")
        state.handle(.control("u"))
        for c in "abc123" { state.handle(.character(c)) }
        state.handle(.enter)
        #expect(state.effects == [.resolve(groupID: group.id!, build: "abc123"), .refresh])
        state.effects = []
        state.handle(.character("i"))
        state.handle(.character("o"))
        #expect(state.effects == [.ignore(groupID: group.id!), .refresh, .reopen(groupID: group.id!), .refresh])
        state.handle(.character("s"))
        #expect(state.crashes.sort == .count)
        state.handle(.character("t"))
        #expect(state.crashes.stateFilter == .new)
    }

    @Test func anEmptyBuildCannotResolve() async throws {
        var state = try await Self.state(Size(width: 120, height: 24))
        state.handle(.character("6"))
        // A group whose reports named no build: there is no default to resolve in.
        for index in state.crashes.groups.indices { state.crashes.groups[index].buildsSeen = [] }
        for index in state.crashes.inbox.indices { state.crashes.inbox[index].result?.report.buildHash = nil }
        state.effects = []
        state.handle(.character("r"))
        state.handle(.enter)
        #expect(state.effects.isEmpty)
        #expect(state.message?.isProblem == true)
    }

    @Test func enterOnAnEmptyBuildPromptResolvesInTheNewestBuild() async throws {
        var state = try await Self.state(Size(width: 120, height: 24))
        state.handle(.character("6"))
        let group = try #require(state.crashes.groups.first)
        state.effects = []
        state.handle(.character("r"))
        state.handle(.enter)
        #expect(state.effects.first == .resolve(groupID: group.id!, build: group.buildsSeen.last!))
    }
}
