import CrashAnalysis
import CrashInbox
import CrashStore
import CrashwatchKit
import Foundation
import LogWatch
import TerminalUI

/// Draws the crash inbox, the history browser and the crash detail view.
enum CrashRenderer {
    static func drawInbox(_ state: DashboardState, area: DashboardLayout.PaneArea, into grid: inout CellGrid) {
        let focused = state.focus == .inbox
        let items = state.crashes.inboxRows
        let unread = items.filter(\.isUnread).count
        TriageRenderer.title(
            "\(focused ? "▶" : " ")5 Crash inbox │ \(items.count) reports │ \(unread) unread"
                + (state.crashes.escalatingGroups > 0 ? " │ ▲ \(state.crashes.escalatingGroups) escalating" : "")
                + (state.crashes.inboxFilter.map { " │ filter \($0)" } ?? "")
                + (state.crashes.pausedInbox != nil ? " │ PAUSED +\(state.crashes.arrivedWhilePaused) (= resumes)" : "")
                + state.crashes.inboxSelection.newAboveText + " │ \(state.crashes.watching)",
            focused: focused, area: area, into: &grid)
        let body = area.body
        grid.fill(body, role: .text)
        guard !items.isEmpty else {
            grid.write(
                state.crashes.inboxFilter == nil ? " no crash reports yet" : " no crash matches the filter",
                at: Point(x: body.x, y: body.y), role: .dim, maxWidth: body.width)
            return
        }
        TriageRenderer.drawList(
            count: items.count, selection: state.crashes.inboxSelection, focused: focused, in: body, into: &grid
        ) {
            index in
            let item = items[index]
            var text = item.isUnread ? "● " : "  "
            text +=
                (body.width < DashboardLayout.compactListWidth
                    ? Self.short(item.time) : CivilTime(secondsSinceEpoch: item.time).description) + "  "
            let role: StyleRole
            if let result = item.result {
                let label: String
                switch item.outcome {
                case .recorded(_, .newGroup)?: label = "NEW"
                case .recorded(_, .regressed)?: label = "REGRESSED"
                case .recorded(_, .ignored)?: label = "ignored"
                case .recorded(_, .oldBuildAfterResolve)?: label = "old build"
                case .pending(let problem)? where problem.isOffline: label = "queued"
                case .pending?: label = "unsaved"
                default:
                    label = item.rate?.isEscalating == true ? "▲\(item.rate!.lastHour)/h" : "×\(item.groupCount ?? 1)"
                }
                text += label.padded(to: 10)
                // Before the signature: in a narrow pane the end of the row is cut off.
                if !item.elsewhere.isEmpty {
                    text +=
                        "also on " + item.elsewhere.map { "\($0.place), \($0.count)×" }.joined(separator: "; ")
                        + "  "
                }
                text += result.diagnosis.severity.rawValue.padded(to: 9)
                text += result.signature.signature
                if let build = result.report.buildHash { text += "  build \(build)" }
                if let pattern = result.diagnosis.patterns.first { text += "  ⚑\(pattern.id)" }
                if let rate = item.rate, rate.isEscalating { text += "  escalating: \(rate.summary)" }
                role = result.diagnosis.severity >= .high ? .error : .warn
            } else {
                text += (item.path as NSString).lastPathComponent + "  " + (item.note ?? "")
                role = .dim
            }
            return (text, role)
        }
    }

    /// `10-31 11:14`: month, day and minute, for a narrow list.
    static func short(_ seconds: Int64) -> String {
        let text = CivilTime(secondsSinceEpoch: seconds).description
        return String(text.dropFirst(5).prefix(11))
    }

    static func drawHistory(_ state: DashboardState, area: DashboardLayout.PaneArea, into grid: inout CellGrid) {
        let focused = state.focus == .history
        let views = state.crashes
        var heading = "\(focused ? "▶" : " ")6 Crash history │ sorted by \(views.sort.label)"
        heading += " │ \(views.stateFilter?.rawValue ?? "all states")"
        if !views.textFilter.isEmpty { heading += " │ /\(views.textFilter)/" }
        if views.historyPaused { heading += " │ PAUSED +\(views.historyChangedWhilePaused) (= resumes)" }
        if let problem = views.historyProblem { heading += " │ \(problem)" }
        TriageRenderer.title(heading, focused: focused, area: area, into: &grid)
        let body = area.body
        grid.fill(body, role: .text)
        guard body.height > 0 else { return }
        // Where each group was seen is worth its width only in a history several hosts or realms write.
        let severalPlaces =
            Set(views.groupSightings.values.flatMap { $0.map { "\($0.host)/\($0.realm ?? "")" } }).count > 1
        let placesWidth = 22
        let compact = body.width < DashboardLayout.compactListWidth
        grid.write(
            (compact
                ? "state       count  last seen    builds  "
                : "state       count  first seen           last seen            builds  ")
                + (severalPlaces ? "seen on".padded(to: placesWidth) : "") + "signature",
            at: Point(x: body.x, y: body.y),
            role: .dim, maxWidth: body.width)
        guard !views.groups.isEmpty else {
            if body.height > 1 {
                grid.write(
                    " no crash groups (yet, or none match)", at: Point(x: body.x, y: body.y + 1), role: .dim,
                    maxWidth: body.width)
            }
            return
        }
        let list = Rect(x: body.x, y: body.y + 1, width: body.width, height: body.height - 1)
        TriageRenderer.drawList(
            count: views.groups.count, selection: views.historySelection, focused: focused, in: list, into: &grid
        ) {
            index in
            let group = views.groups[index]
            var text =
                group.state.rawValue.padded(to: 10) + TriageRenderer.compact(group.count).leftPadded(to: 7) + "  "
            if compact {
                text += Self.short(group.lastSeen) + "  "
            } else {
                text += CivilTime(secondsSinceEpoch: group.firstSeen).description + "  "
                text += CivilTime(secondsSinceEpoch: group.lastSeen).description + "  "
            }
            text += "\(group.buildsSeen.count)".leftPadded(to: 6) + "  "
            if severalPlaces {
                let places = (views.groupSightings[group.id ?? -1] ?? []).sorted { $0.count > $1.count }.map {
                    "\($0.place) \($0.count)×"
                }
                let seen = places.joined(separator: ", ")
                text += (seen.count > placesWidth ? seen.prefix(placesWidth - 1) + "…" : seen).padded(to: placesWidth)
            }
            text += group.signature
            if let build = group.resolvedInBuild { text += "  (resolved in \(build))" }
            let role: StyleRole
            switch group.state {
            case .regressed, .new: role = .error
            case .ongoing: role = .warn
            case .resolved, .ignored: role = .dim
            }
            return (text, role)
        }
    }

    /// The detail view, over the whole screen but the bottom bar.
    static func drawDetail(_ state: DashboardState, detail: CrashDetail, into grid: inout CellGrid) {
        let area = Rect(x: 0, y: 0, width: grid.size.width, height: max(0, grid.size.height - 1))
        grid.fill(area, role: .text)
        let lines = detailRows(state, detail)
        let scroll = min(detail.scroll, max(0, lines.count - area.height))
        let search = detail.search.flatMap { try? LineFilter(pattern: $0) }
        for (offset, line) in lines.dropFirst(scroll).prefix(area.height).enumerated() {
            let highlights = search?.matchOffsets(in: line.0) ?? []
            grid.write(line.0, at: Point(x: 1, y: offset), role: line.1, maxWidth: area.width - 2) { character in
                highlights.contains { $0.contains(character) } ? .searchMatch : nil
            }
        }
    }

    /// The detail view's rows as drawn: its lines wrapped to the screen.
    static func detailRows(_ state: DashboardState, _ detail: CrashDetail) -> [(String, StyleRole)] {
        DashboardRenderer.wrapped(detailLines(state, detail), width: state.size.width - 2)
    }

    /// The detail view's lines: the analysis, or (`v`) the report's own text.
    static func detailLines(_ state: DashboardState, _ detail: CrashDetail) -> [(String, StyleRole)] {
        var lines: [(String, StyleRole)] = []
        let item = detail.inboxItemID.flatMap { id in state.crashes.inbox.first { $0.id == id } }
        let group = detail.groupID.flatMap { id in state.crashes.groups.first { $0.id == id } }
        if detail.showsRawText {
            let raw = item?.result?.report.rawText ?? state.crashes.detailOccurrences.first?.rawText
            guard let raw else { return [("no report text for this crash", .dim)] }
            lines.append(
                ("Report text: \(item?.path ?? state.crashes.detailOccurrences.first?.reportPath ?? "")", .overlayTitle)
            )
            for line in raw.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(
                    (
                        String(line).replacingOccurrences(of: "\r", with: "").replacingOccurrences(
                            of: "\t", with: "    "), .text
                    ))
            }
            return lines
        }
        if let result = item?.result {
            lines += describe(result)
        } else if let group {
            lines.append(("Crash group: \(group.signature)", .overlayTitle))
            lines.append(
                (
                    "state \(group.state), \(group.count) occurrences, builds \(group.buildsSeen.joined(separator: ", "))",
                    .text
                ))
            if let diagnosis = state.crashes.detailDiagnosis { lines += diagnosisLines(diagnosis) }
        } else if let item {
            lines.append(((item.path as NSString).lastPathComponent, .overlayTitle))
            lines.append((item.note ?? "", .notice))
        }
        if !state.crashes.detailOccurrences.isEmpty {
            lines.append(("", .text))
            lines.append(("Occurrences of this group (newest first)", .overlayTitle))
            for occurrence in state.crashes.detailOccurrences.prefix(20) {
                lines.append(
                    (
                        "  \(CivilTime(secondsSinceEpoch: occurrence.time))  build \(occurrence.build ?? "?")  \(occurrence.reportPath)",
                        .text
                    ))
            }
        }
        if !state.crashes.detailDecisions.isEmpty {
            lines.append(("", .text))
            lines.append(("Fix decisions", .overlayTitle))
            for decision in state.crashes.detailDecisions {
                lines.append(
                    (
                        "  \(decision.decision)\(decision.reason.map { ": \($0)" } ?? "")\(decision.commitHash.map { " (commit \($0))" } ?? "")",
                        .text
                    ))
            }
        }
        if !state.crashes.detailSimilar.isEmpty {
            lines.append(("", .text))
            lines.append(("Similar groups (top frames in common)", .overlayTitle))
            for similar in state.crashes.detailSimilar {
                let other = similar.group
                lines.append(
                    ("  ×\(other.count)  \(other.state)  \(similar.sharedFrames) shared  \(other.signature)", .text))
            }
        }
        if state.crashes.detailSightings.count > 1 {
            lines.append(("", .text))
            lines.append(("Seen on", .overlayTitle))
            for sighting in state.crashes.detailSightings {
                lines.append(
                    (
                        "  \(sighting.place)  ×\(sighting.count)  first \(CivilTime(secondsSinceEpoch: sighting.firstSeen))  last \(CivilTime(secondsSinceEpoch: sighting.lastSeen))  builds \(sighting.builds.joined(separator: ", "))",
                        .text
                    ))
            }
        }
        return lines
    }

    static func describe(_ result: CrashAnalysisResult) -> [(String, StyleRole)] {
        let report = result.report
        var lines: [(String, StyleRole)] = [("Crash: \(result.signature.signature)", .overlayTitle)]
        lines.append(
            (
                "exception \(report.exceptionCode ?? "?") \(report.exceptionName ?? "")   build \(report.buildHash ?? "?")   \(report.format.rawValue) report \(result.file.map { ($0 as NSString).lastPathComponent } ?? "")",
                .text
            ))
        if let assertion = report.assertion {
            lines.append(
                (
                    "\(assertion.kind) in \(assertion.function ?? "?") at \(assertion.file ?? "?"):\(assertion.line.map(String.init) ?? "?") \(assertion.condition.map { "— \($0)" } ?? "")",
                    .warn
                ))
        }
        lines.append(("", .text))
        lines.append(("Crashing thread — \(report.crashingThreadReason)", .overlayTitle))
        let inApp = Set(result.signature.similarityFrames)
        for (index, frame) in (report.crashingThread?.frames ?? []).prefix(25).enumerated() {
            let name = index < result.signature.normalizedFrames.count ? result.signature.normalizedFrames[index] : "?"
            let location =
                frame.file.map {
                    "  \($0.split(separator: "/").suffix(3).joined(separator: "/"))\(frame.line.map { ":\($0)" } ?? "")"
                } ?? ""
            lines.append(("  #\(index) \(name)\(location)", inApp.contains(name) ? .info : .dim))
        }
        lines += diagnosisLines(result.diagnosis)
        if let correlation = result.correlation {
            lines.append(("", .text))
            lines.append(("Log lines before the crash (\(correlation.windowSeconds) s)", .overlayTitle))
            for error in correlation.errors.suffix(8) { lines.append(("  \(error.source): \(error.text)", .error)) }
            for warning in correlation.repeatedWarnings.prefix(5) {
                lines.append(("  ×\(warning.count) \(warning.lastExample)", .warn))
            }
            for action in correlation.lastBotActions.prefix(5) {
                lines.append(("  bot \(action.bot), \(action.secondsBeforeCrash) s before: \(action.line)", .text))
            }
            for run in correlation.placedRuns ?? [] {
                lines.append(("  \(run.how):", .dim))
                for line in run.lines.suffix(12) {
                    let role: StyleRole =
                        line.level?.isError == true ? .error : line.level == .warn ? .warn : .text
                    lines.append(("    \(line.text)", role))
                }
            }
            for note in correlation.notes ?? [] { lines.append(("  \(note)", .notice)) }
            if correlation.isEmpty, (correlation.notes ?? []).isEmpty {
                lines.append(("  no log line in the window before the crash", .dim))
            }
        }
        if result.correlation == nil {
            lines.append(("", .text))
            lines.append(("Log lines before the crash: none could be placed (no log held lines of that time)", .dim))
        }
        if !report.problems.isEmpty {
            lines.append(("", .text))
            for problem in report.problems { lines.append(("could not parse: \(problem)", .notice)) }
        }
        return lines
    }

    static func diagnosisLines(_ diagnosis: Diagnosis) -> [(String, StyleRole)] {
        var lines: [(String, StyleRole)] = [("", .text)]
        lines.append(
            (
                "Diagnosis — \(diagnosis.severity.rawValue)\(diagnosis.isBotRelated ? ", bot-related" : "")\(diagnosis.components.isEmpty ? "" : " — " + diagnosis.components.joined(separator: ", "))",
                .overlayTitle
            ))
        for match in diagnosis.patterns { lines.append(("  pattern \(match.id): \(match.name)", .warn)) }
        lines.append(("  cause: \(diagnosis.rootCause.text)", .text))
        for evidence in diagnosis.rootCause.evidence { lines.append(("    evidence: \(evidence)", .dim)) }
        for clue in diagnosis.clues { lines.append(("  clue: \(clue.text)", .text)) }
        lines.append(("  verdict: \(diagnosis.verdict.summary)", diagnosis.verdict.actionable ? .text : .warn))
        for problem in diagnosis.verdict.problems { lines.append(("    - \(problem.text)", .warn)) }
        for (rank, suggestion) in diagnosis.suggestions.enumerated() {
            lines.append(("  \(rank + 1). \(suggestion.text)", .text))
        }
        return lines
    }
}

extension GroupFilter.Sort {
    var label: String {
        switch self {
        case .lastSeen: "last seen"
        case .count: "count"
        case .firstSeen: "first seen"
        }
    }
}
