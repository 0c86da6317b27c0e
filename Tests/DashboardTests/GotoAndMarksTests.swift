import CrashwatchKit
import Foundation
import LogWatch
import TestSupport
import Testing

@testable import Dashboard
@testable import TerminalUI

/// `:goto` by time or line (held lines, then the file through its index), `m` marks with `u`/`U`, Tab completion.
@Suite struct GotoAndMarksTests {
    static let day = CivilTime(year: 2025, month: 10, day: 31, hour: 0, minute: 0).secondsSinceEpoch

    static let hour: Int64 = 3600
    static let cases: [(String, GotoTarget)] = [
        ("10:15", .time(day + 10 * hour + 900)),
        ("10:15:30", .time(day + 10 * hour + 930)),
        ("2025-10-30 23:59", .time(day - 60)),
        ("-5m", .time(day + 11 * hour - 300)),
        ("-2h", .time(day + 9 * hour)),
        ("1200", .line(1200)),
        // Later than the newest line: the day before.
        ("12:00", .time(day - 12 * hour)),
    ]

    @Test func targetsAreReadAgainstTheNewestLine() throws {
        for (text, target) in Self.cases {
            #expect(try GotoTarget.parse(text, newest: Self.day + 11 * Self.hour) == target, "\(text)")
        }
    }

    @Test(arguments: ["25:00", "10:61", "soon", "-5x", "2025-13-01 10:00"])
    func aWrongTargetSaysWhatIsExpected(text: String) {
        #expect(throws: GotoTarget.Problem.self) { try GotoTarget.parse(text, newest: Self.day) }
    }

    /// 2,000 lines, one a second from 10:00:00; the newest 100 held.
    private func makeState(scratch: TemporaryDirectory) throws -> DashboardState {
        let path = scratch.file("Server.log")
        let all = (0..<2_000).map { n -> String in
            let time = CivilTime(secondsSinceEpoch: Self.day + 10 * 3600 + Int64(n))
            let stamp = String(
                format: "%04d-%02d-%02d_%02d:%02d:%02d", time.year, time.month, time.day, time.hour, time.minute,
                time.second)
            return "\(stamp) INFO  [t] line \(n + 1)"
        }
        return try DashboardState.fileBacked(all, path: path)
    }

    private func command(_ text: String, _ state: inout DashboardState) {
        state.handle(.character(":"))
        for character in text { state.handle(.character(character)) }
        state.handle(.enter)
    }

    @Test func gotoATimeHeldOrInTheFileAndALine() throws {
        let scratch = TemporaryDirectory("cw-goto")
        var state = try makeState(scratch: scratch)
        // Held: lines 1901…2000 are 10:31:40…10:33:19.
        command("goto 10:32:00", &state)
        #expect(state.panes[0].visibleLines(height: 30).contains { $0.number == state.panes[0].markedNumber })
        #expect(state.message?.text.hasPrefix("2025-10-31 10:32:00: line") == true)
        // In the file: 10:05:00 is line 301.
        command("goto 10:05", &state)
        let request = try #require(state.fileSearch)
        let line = try FileSearch(index: state.panes[0].archive!).find(
            .time(Self.day + 10 * 3600 + 300), after: 0, direction: .forward)
        #expect(line == 301)
        state.fileSearchFinished(request, line: line)
        #expect(state.panes[0].markedNumber == 301)
        command("goto 1500", &state)
        #expect(state.panes[0].markedNumber == 1500)
        command("goto 10:99", &state)
        #expect(state.message?.isProblem == true)
    }

    @Test func marksAndTabCompletion() throws {
        let scratch = TemporaryDirectory("cw-marks")
        var state = try makeState(scratch: scratch)
        state.handle(.character("m"))
        #expect(state.message?.text.hasPrefix("marked line 100") == true)
        state.handle(.pageUp)
        state.handle(.character("m"))
        let marks = state.panes[0].marks
        #expect(marks.count == 2)
        state.handle(.character("G"))
        state.handle(.character("U"))
        #expect(state.panes[0].markedNumber == marks.max())
        state.handle(.character("U"))
        #expect(state.panes[0].markedNumber == marks.min())
        state.handle(.character(":"))
        state.handle(.character("g"))
        state.handle(.tab)
        guard case .prompt(let prompt) = state.mode else {
            Issue.record("the prompt closed")
            return
        }
        #expect(prompt.text == "goto ")
        state.handle(.escape)
        state.handle(.character(":"))
        state.handle(.character("m"))
        state.handle(.tab)
        #expect(state.message?.text == "mark  marks")
    }
}
