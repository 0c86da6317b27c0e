import AppCore
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

    /// `f` (and `/`) filter the inbox by signature or file, `=` pauses it while new crashes are counted.
    @Test func theInboxFiltersAndPauses() async throws {
        var state = try await Self.state(Size(width: 160, height: 30))
        state.handle(.character("5"))
        state.handle(.character("f"))
        for character in "UpdateVictim" { state.handle(.character(character)) }
        state.handle(.enter)
        #expect(state.crashes.inboxRows.count == 2)
        #expect(DashboardRenderer.render(state).text.contains("filter /UpdateVictim/"))
        state.handle(.character("/"))
        state.handle(.enter)
        #expect(state.crashes.inboxRows.count == 5, "an empty filter clears it")
        state.handle(.character("="))
        let first = try #require(state.crashes.inbox.first)
        state.crashes.inbox.append(
            InboxItem(
                id: 999, path: first.path + ".again", result: first.result, time: first.time + 60, latency: 0))
        #expect(state.crashes.inboxRows.count == 5, "paused: the new crash is counted, not shown")
        #expect(DashboardRenderer.render(state).text.contains("PAUSED +1"))
        state.handle(.character("="))
        #expect(state.crashes.inboxRows.count == 6)
    }

    /// `U` in a group's detail view reverts its applied fix, after a yes; anything else leaves the tree alone.
    @Test func uInTheDetailViewAsksThenRevertsTheGroupsFix() async throws {
        var state = try await Self.state(Size(width: 160, height: 30))
        state.handle(.character("6"))
        let group = try #require(state.crashes.groups.first)
        let detail = CrashDetail(groupID: group.id)
        state.mode = .crashDetail(detail)
        state.effects = []
        state.handle(.character("U"))
        #expect(state.mode == .prompt(Prompt(kind: .confirmRevert(groupKey: group.groupKey, detail: detail))))
        #expect(DashboardRenderer.render(state).text.contains("revert this group's fix"))
        state.handle(.character("n"))
        state.handle(.enter)
        #expect(state.mode == .crashDetail(detail))
        #expect(state.effects.isEmpty)
        state.handle(.character("U"))
        state.handle(.character("y"))
        state.handle(.enter)
        #expect(state.mode == .crashDetail(detail), "back to the detail view")
        #expect(state.effects == [.revertFix(groupKey: group.groupKey)])
    }

    /// After a fix applied over stashed changes: the message says where HEAD is and how back; back on that branch,
    /// the changes are offered once, and `:stash-pop` asks for them.
    @Test func stashedChangesAreOfferedBackOnTheirBranch() async throws {
        var state = try await Self.state(Size(width: 160, height: 30))
        state.showApplied(
            .applied(branch: "crashwatch/abc", commit: "0123456789abcdef", stashed: true, note: nil, from: "main"),
            candidateIndex: 0)
        let said = try #require(state.message?.text)
        #expect(said.contains("HEAD is on crashwatch/abc now — git checkout main goes back"), "\(said)")
        #expect(said.contains("back on main, :stash-pop puts them back"))
        let away = EffectRunner.StashNotice(ref: "stash@{0}", branch: "main", current: "crashwatch/abc")
        state.message = nil
        state.noticeStash(away)
        #expect(state.message == nil, "not on its branch yet")
        let back = EffectRunner.StashNotice(ref: "stash@{0}", branch: "main", current: "main")
        state.noticeStash(back)
        #expect(state.message?.text.contains("back on main") == true)
        state.message = nil
        state.noticeStash(back)
        #expect(state.message == nil, "said once")
        state.effects = []
        state.runCommand("stash-pop")
        #expect(state.effects == [.popStash])
    }

    /// `=` pauses the history pane: a refresh does not move its rows, the changes are counted; `f` filters it as `/`.
    @Test func theHistoryPauses() async throws {
        var state = try await Self.state(Size(width: 160, height: 30))
        state.handle(.character("6"))
        state.handle(.character("="))
        let before = state.crashes.groups
        var changed = before
        changed[0].count += 5
        state.showGroups(changed, sightings: [:])
        #expect(state.crashes.groups.map(\.count) == before.map(\.count))
        #expect(DashboardRenderer.render(state).text.contains("PAUSED +1"))
        state.effects = []
        state.handle(.character("="))
        #expect(state.effects == [.refresh])
        state.handle(.character("f"))
        guard case .prompt(let prompt) = state.mode else { Issue.record("f opened no prompt"); return }
        #expect(prompt.kind == .historyFilter)
    }

    /// `/` in the detail view finds a word in the analysis (highlighted), `n`/`N` go on and wrap, Esc at the prompt
    /// returns to the view.
    @Test func theDetailViewSearchesLikeLess() async throws {
        var state = try await Self.state(Size(width: 100, height: 20))
        state.handle(.character("5"))
        state.handle(.enter)
        state.handle(.character("/"))
        state.handle(.escape)
        guard case .crashDetail = state.mode else { Issue.record("Esc at the prompt closed the view"); return }
        state.handle(.character("/"))
        for character in "frame" { state.handle(.character(character)) }
        state.handle(.enter)
        guard case .crashDetail(let found) = state.mode else { Issue.record("expected the detail view"); return }
        #expect(found.search == "frame")
        let text = state.message?.text ?? ""
        #expect(text.hasPrefix("/frame/: match 1 of"), "\(text)")
        let rows = CrashRenderer.detailRows(state, found)
        #expect(rows[found.scroll].0.lowercased().contains("frame"))
        let grid = DashboardRenderer.render(state)
        let highlighted = (0..<grid.size.height).contains { y in
            (0..<grid.size.width).contains { grid[$0, y].role == .searchMatch }
        }
        #expect(highlighted, "the match is highlighted")
        state.handle(.character("N"))
        #expect(state.message?.text.hasPrefix("search wrapped to the bottom") == true)
    }

    /// The detail view reads like `less`: a stray key says so instead of closing it, `v` shows the report's own text,
    /// `G` and `g` go to its ends, `q` closes.
    @Test func theDetailViewScrollsLikeLessAndShowsTheRawReport() async throws {
        var state = try await Self.state(Size(width: 120, height: 20))
        state.handle(.character("5"))
        state.handle(.enter)
        state.handle(.character("x"))
        guard case .crashDetail(var detail) = state.mode else {
            Issue.record("a stray key leaves the detail open")
            return
        }
        #expect(state.message?.text.contains("Esc or q closes") == true)
        state.handle(.character("v"))
        guard case .crashDetail(let raw) = state.mode else { return }
        detail = raw
        #expect(detail.showsRawText)
        let item = try #require(state.crashes.inboxRows.first)
        let text = GoldenFile.render(DashboardRenderer.render(state))
        let firstReportLine = try #require(item.result?.report.rawText.split(separator: "\n").first)
        #expect(text.contains(String(firstReportLine.prefix(60))), "the report as it was written")
        state.handle(.character("G"))
        guard case .crashDetail(let bottom) = state.mode else { return }
        #expect(bottom.scroll == max(0, CrashRenderer.detailRows(state, bottom).count - 19))
        state.handle(.character("k"))
        guard case .crashDetail(let up) = state.mode else { return }
        #expect(up.scroll == max(0, bottom.scroll - 1), "k from the bottom moves at once")
        state.handle(.character("g"))
        guard case .crashDetail(let top) = state.mode else { return }
        #expect(top.scroll == 0)
        state.handle(.character("q"))
        #expect(state.mode == .normal)
    }

    /// A crash of a group crashing at several times its usual rate is said first, rings, and is flagged in the inbox.
    @Test func anEscalatingGroupIsFlaggedInTheInboxAndOnTheStatusBar() async throws {
        var state = try await Self.state(Size(width: 160, height: 30))
        let first = try #require(state.crashes.inbox.first { $0.result != nil })
        var item = InboxItem(
            id: 998, path: first.path + ".again", result: first.result,
            outcome: .recorded(groupID: 77, lifecycle: .repeated),
            groupCount: 30, time: first.time + 60, latency: 0)
        item.rate = CrashGroupRate(lastHour: 6, usualPerHour: 0.5)
        state.wantsBell = false
        state.addInboxItem(item)
        #expect(
            state.message?.text.hasPrefix("crash group ESCALATING (6 in the last hour, usually 0.5 an hour)") == true)
        #expect(state.wantsBell)
        state.handle(.character("5"))
        let text = DashboardRenderer.render(state).text
        #expect(text.contains("▲ 1 escalating"))
        #expect(text.contains("▲6/h"))
    }

    /// A lone minidump's detail shows its own facts, not the occurrences of the crash opened before it.
    @Test func aLoneMinidumpsDetailShowsOnlyItsOwnFacts() async throws {
        var state = try await Self.state(Size(width: 120, height: 40))
        state.crashes.detailOccurrences = [
            OccurrenceRecord(
                id: 1, groupID: 1, time: 0, reportPath: "Crashes/other-crash.txt", contentHash: "h", fileIdentity: nil,
                identicalTo: nil, build: nil, exception: "", format: "gdb", frames: [], diagnosis: "{}", logLines: nil,
                rawText: "other")
        ]
        state.crashes.inbox.append(
            InboxItem(
                id: 99, path: "Crashes/crash [1].dmp", minidump: "Crashes/crash [1].dmp", time: 4_000_000_000,
                latency: 0,
                note: "minidump, no text report — make one with `cdb -z 'Crashes/crash [1].dmp' …`"))
        state.handle(.character("5"))
        state.handle(.enter)
        let text = GoldenFile.render(DashboardRenderer.render(state))
        #expect(text.contains("crash [1].dmp"))
        #expect(!text.contains("other-crash.txt"), "nothing of the crash opened before")
        #expect(text.contains("'Crashes/crash [1].dmp'"), "the command quotes the path for the shell")
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
