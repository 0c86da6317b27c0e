import CrashAnalysis
public import CrashInbox
public import CrashStore
import FixEngine
import Foundation
import TerminalUI

extension DashboardState {
    /// A new inbox item arrived; `imported` for reports that were already in the folder at start.
    public mutating func addInboxItem(_ item: InboxItem, imported: Bool = false) {
        var item = item
        // A file read again (it was still being written the first time) replaces its earlier entry.
        if item.replacesEarlierRead { crashes.inbox.removeAll { $0.path == item.path } }
        crashes.inbox.append(item)
        if crashes.inbox.count > 1_000 { crashes.inbox.removeFirst(crashes.inbox.count - 1_000) }
        followSelections([.inbox])
        if imported {
            item.isUnread = false
            crashes.inbox[crashes.inbox.count - 1] = item
            crashes.imported += 1
            message = StatusMessage("imported \(crashes.imported) crash report(s) already in the crash folder")
            effects.append(.refresh)
            needsRedraw = true
            return
        }
        let signature = item.result?.signature.signature ?? (item.path as NSString).lastPathComponent
        let kind: String
        switch item.outcome {
        case .recorded(_, .newGroup)?: kind = "new crash"
        case .recorded(_, .regressed)?: kind = "REGRESSION"
        case .recorded? where item.rate?.isEscalating == true:
            kind = "crash group ESCALATING (\(item.rate!.summary))"
        case .recorded?: kind = "crash again"
        case .pending(let problem)? where problem.isOffline:
            kind = "crash (waits in the outbox: the shared history is offline)"
        case .pending(let problem)?: kind = "crash (not stored: \(problem.kind.rawValue))"
        default: kind = item.note == nil ? "crash" : "crash file"
        }
        notice(StatusMessage("\(kind): \(signature) — 5 opens the inbox", isProblem: true, priority: .important))
        if case .recorded(_, let change)? = item.outcome, change == .newGroup || change == .regressed {
            wantsBell = true
        }
        if item.rate?.isEscalating == true { wantsBell = true }
        effects.append(.refresh)
        needsRedraw = true
    }

    var selectedInboxItem: InboxItem? {
        let rows = crashes.inboxRows
        return crashes.inboxSelection.row < rows.count ? rows[crashes.inboxSelection.row] : nil
    }

    var selectedGroup: CrashGroupRecord? {
        crashes.historySelection.row < crashes.groups.count ? crashes.groups[crashes.historySelection.row] : nil
    }

    /// The group the focused crash pane points at.
    var focusedGroupID: Int64? {
        if focus == .inbox, let item = selectedInboxItem, case .recorded(let id, _)? = item.outcome { return id }
        if focus == .history { return selectedGroup?.id }
        return nil
    }

    /// The inbox of the last session, from the history, older than anything that arrived since.
    public mutating func restoreInbox(_ items: [InboxItem]) {
        let arrived = Set(crashes.inbox.map(\.path))
        crashes.inbox.insert(contentsOf: items.filter { !arrived.contains($0.path) }, at: 0)
        followSelections([.inbox])
        needsRedraw = true
    }

    /// A new page of the history pane; the highlight stays on its group.
    public mutating func showGroups(_ groups: [CrashGroupRecord], sightings: [Int64: [HostSighting]]) {
        // Paused (`=`): the rows stay; what changed is counted in the title.
        if crashes.historyPaused {
            crashes.historyChangedWhilePaused =
                groups.filter { group in
                    !crashes.groups.contains { $0.id == group.id && $0.count == group.count && $0.state == group.state }
                }.count
            return
        }
        crashes.groups = groups
        crashes.groupSightings = sightings
        followSelections([.history])
    }

    mutating func performCrash(_ action: KeyTable.CrashAction) {
        switch action {
        case .move(let step):
            moveSelection(step)
        case .open:
            if focus == .inbox, let item = selectedInboxItem {
                if let index = crashes.inbox.firstIndex(where: { $0.id == item.id }) {
                    if crashes.inbox[index].isUnread { effects.append(.markRead(inboxItemID: item.id)) }
                    crashes.inbox[index].isUnread = false
                }
                mode = .crashDetail(CrashDetail(inboxItemID: item.id, groupID: focusedGroupID))
            } else if focus == .history, let group = selectedGroup {
                mode = .crashDetail(CrashDetail(inboxItemID: nil, groupID: group.id))
            }
            // What the last detail loaded belongs to its own crash, not to this one (a lone minidump has no group).
            crashes.detailOccurrences = []
            crashes.detailDecisions = []
            crashes.detailSimilar = []
            crashes.detailSightings = []
            crashes.detailDiagnosis = nil
            if let id = focusedGroupID { effects.append(.loadDetail(groupID: id)) }
        case .cycleSort:
            let all = GroupFilter.Sort.allCases
            crashes.sort = all[(all.firstIndex(of: crashes.sort)! + 1) % all.count]
            effects.append(.refresh)
        case .cycleState:
            let states: [GroupState?] = [nil] + GroupState.allCases
            let index = states.firstIndex(of: crashes.stateFilter) ?? 0
            crashes.stateFilter = states[(index + 1) % states.count]
            crashes.historySelection = TriageSelection()
            effects.append(.refresh)
        case .filterText:
            // In the inbox, / filters the inbox (as f does); in the history, the history.
            mode = .prompt(Prompt(kind: focus == .inbox ? .listFilter(.inbox) : .historyFilter))
        case .resolve:
            guard let id = focusedGroupID else { return noGroup() }
            let build =
                crashes.groups.first { $0.id == id }?.buildsSeen.last
                ?? selectedInboxItem?.result?.report.buildHash ?? ""
            mode = .prompt(Prompt(kind: .resolveBuild(groupID: id), defaultText: build))
        case .ignore:
            guard let id = focusedGroupID else { return noGroup() }
            effects += [.ignore(groupID: id), .refresh]
            message = StatusMessage("group ignored (o reopens it)")
        case .reopen:
            guard let id = focusedGroupID else { return noGroup() }
            effects += [.reopen(groupID: id), .refresh]
            message = StatusMessage("group reopened")
        case .proposeFix:
            openFixPreview(inboxItemID: focus == .inbox ? selectedInboxItem?.id : nil, groupID: focusedGroupID)
        }
    }

    /// Opens the fix preview for a crash; the app fills in the candidates.
    private mutating func noGroup() {
        message = StatusMessage("no stored crash group selected", isProblem: true)
    }

    mutating func handleCrashDetail(_ key: Key, _ detail: CrashDetail) {
        var detail = detail
        switch KeyTable.detailByKey[key] {
        case .help:
            helpReturn = .crashDetail(detail)
            mode = .help
            return
        case .down: detail.scroll += 1
        case .up: detail.scroll = max(0, detail.scroll - 1)
        case .pageDown: detail.scroll += max(1, size.height - 3)
        case .pageUp: detail.scroll = max(0, detail.scroll - max(1, size.height - 3))
        case .top: detail.scroll = 0
        case .bottom: detail.scroll = max(0, CrashRenderer.detailRows(self, detail).count - (size.height - 1))
        case .search:
            mode = .prompt(Prompt(kind: .detailSearch(detail)))
            return
        case .nextMatch, .previousMatch:
            guard let pattern = detail.search else {
                message = StatusMessage("no search yet — press / to search", isProblem: true)
                break
            }
            findInDetail(pattern, &detail, forward: KeyTable.detailByKey[key] == .nextMatch)
        case .rawText:
            detail.showsRawText.toggle()
            detail.scroll = 0
        case .close:
            mode = .normal
            return
        case .resolve, .ignore, .reopen:
            mode = .normal
            handle(key)
            return
        case .proposeFix:
            openFixPreview(inboxItemID: detail.inboxItemID, groupID: detail.groupID)
            return
        case .revertFix:
            let item = detail.inboxItemID.flatMap { id in crashes.inbox.first { $0.id == id } }
            let group = detail.groupID.flatMap { id in crashes.groups.first { $0.id == id } }
            guard let key = item?.result?.signature.groupKey ?? group?.groupKey else {
                message = StatusMessage("no crash group to revert a fix of", isProblem: true)
                return
            }
            mode = .prompt(Prompt(kind: .confirmRevert(groupKey: key, detail: detail)))
            return
        case nil:
            if case .character(let c) = key {
                message = StatusMessage("no command on \(c) in the crash detail — Esc or q closes it")
            }
        }
        // Past the end is the end: k from the bottom moves up at once.
        detail.scroll = min(detail.scroll, max(0, CrashRenderer.detailRows(self, detail).count - (size.height - 1)))
        mode = .crashDetail(detail)
    }

    /// Scrolls the detail view to the next (or previous) row matching `pattern`, wrapping round, saying so.
    mutating func findInDetail(_ pattern: String, _ detail: inout CrashDetail, forward: Bool, fromCurrent: Bool = false)
    {
        guard let filter = try? LineFilter(pattern: pattern) else {
            message = StatusMessage("not a valid regular expression: \(pattern)", isProblem: true)
            return
        }
        detail.search = pattern
        let rows = CrashRenderer.detailRows(self, detail)
        let matching = rows.indices.filter { filter.matches(rows[$0].0) }
        guard !matching.isEmpty else {
            message = StatusMessage("no match for \(filter) in the detail", isProblem: true)
            return
        }
        let current = detail.scroll
        let next =
            forward
            ? matching.first { fromCurrent ? $0 >= current : $0 > current }
            : matching.last { $0 < current }
        if let next {
            detail.scroll = next
            message = StatusMessage("\(filter): match \(matching.firstIndex(of: next)! + 1) of \(matching.count)")
        } else {
            detail.scroll = forward ? matching[0] : matching[matching.count - 1]
            message = StatusMessage(
                "search wrapped to the \(forward ? "top" : "bottom"): \(filter), \(matching.count) matches")
        }
    }

    mutating func commitCrashPrompt(_ prompt: Prompt) -> Bool {
        switch prompt.kind {
        case .detailSearch(var detail):
            if prompt.value.isEmpty {
                detail.search = nil
            } else {
                findInDetail(prompt.value, &detail, forward: true, fromCurrent: true)
            }
            mode = .crashDetail(detail)
            return true
        case .confirmRevert(let key, let detail):
            mode = .crashDetail(detail)
            guard prompt.text.lowercased() == "y" || prompt.text.lowercased() == "yes" else {
                message = StatusMessage("not reverted")
                return true
            }
            effects.append(.revertFix(groupKey: key))
            message = StatusMessage("reverting the fix…")
            return true
        case .historyFilter:
            crashes.textFilter = prompt.value
            crashes.historySelection = TriageSelection()
            effects.append(.refresh)
            return true
        case .confirmApply(let index):
            mode = .fixPreview
            guard prompt.text.lowercased() == "y" || prompt.text.lowercased() == "yes" else {
                message = StatusMessage("not applied")
                return true
            }
            crashes.fixPreview?.busy = "applying…"
            if crashes.fixPreview?.forLoop == true {
                effects.append(.answerLoop(.approve(index: index)))
            } else {
                effects.append(.applyFix(index: index, stashFirst: false))
            }
            return true
        case .rejectReason(let index):
            mode = .fixPreview
            let reason = prompt.text.trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else {
                message = StatusMessage(
                    "a reason is needed to reject (it is kept with the crash group)", isProblem: true)
                return true
            }
            if var preview = crashes.fixPreview, preview.forLoop {
                preview.rejected[index] = reason
                let left = preview.candidates.indices.filter { preview.rejected[$0] == nil }
                if let next = left.first(where: { $0 > index }) ?? left.first {
                    // The next candidate is offered before the loop is told no.
                    preview.selected = next
                    preview.scroll = 0
                    crashes.fixPreview = preview
                    message = StatusMessage(
                        "rejected: \(reason) — \(left.count) other candidate(s): A approves, R rejects, Esc decides later"
                    )
                    return true
                }
                let reasons = preview.candidates.indices.compactMap { preview.rejected[$0] }
                effects.append(
                    .answerLoop(
                        .reject(
                            reason: "all \(reasons.count) candidate(s) rejected: " + reasons.joined(separator: "; "))))
                crashes.fixPreview = nil
                mode = .normal
            } else {
                effects.append(.rejectFix(index: index, reason: reason))
            }
            return true
        case .dirtyTree(let index):
            mode = .fixPreview
            if prompt.text.lowercased() == "s" {
                crashes.fixPreview?.busy = "stashing and applying…"
                effects.append(.applyFix(index: index, stashFirst: true))
            } else {
                message = StatusMessage("cancelled; the source tree was not touched")
            }
            return true
        case .resolveBuild(let id):
            let build = prompt.value.trimmingCharacters(in: .whitespaces)
            guard !build.isEmpty else {
                message = StatusMessage("a build is needed to resolve (the hash a fix ships in)", isProblem: true)
                return true
            }
            effects += [.resolve(groupID: id, build: build), .refresh]
            message = StatusMessage(
                "group resolved in build \(build); a crash from a build with the fix will reopen it as regressed")
            return true
        default:
            return false
        }
    }
}
