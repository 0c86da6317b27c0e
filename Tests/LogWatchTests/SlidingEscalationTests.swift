import CrashwatchKit
import Testing

@testable import LogWatch

/// Escalation over sliding windows, with the lines' own (injected) times: no flicker at minute boundaries, a quiet
/// state, and a past that keeps a long-running realm from being all "new".
@Suite struct SlidingEscalationTests {
    static let t0 = CivilTime(year: 2025, month: 10, day: 31, hour: 11, minute: 0, second: 0).secondsSinceEpoch

    private func record(_ tracker: inout EscalationTracker, _ template: String, at seconds: Int64, count: Int = 1) {
        for _ in 0..<count {
            tracker.record(
                template: template, level: .warn, source: "Server.log",
                occurrence: TemplateOccurrence(pane: 0, lineNumber: 1, time: Self.t0 + seconds, text: "x"))
        }
    }

    @Test func aSteadyPortScanReadsSteadyAtEverySecondNotEscalatingNewEscalating() {
        var tracker = EscalationTracker()
        var states: [Int64: EscalationState] = [:]
        for second in Int64(0)..<960 {
            record(&tracker, "WorldSocket: client <ip> sent malformed packet", at: second, count: 25)
            states[second] = tracker.rows()[0].state
        }
        for second in Int64(1)..<600 { #expect(states[second] == .new, "second \(second)") }
        let later = (Int64(600)..<960).compactMap { states[$0] }
        #expect(later.allSatisfy { $0 == .steady }, "\(Set(later))")
    }

    @Test func aBurstEscalatesWithinSecondsAndASilentTemplateGoesQuiet() {
        var tracker = EscalationTracker()
        for minute in Int64(0)..<15 { record(&tracker, "T", at: minute * 60 + 30, count: 2) }
        #expect(tracker.rows()[0].state == .steady)
        // 20 in ten seconds right after a minute boundary: escalating at once, not at the end of the minute.
        for second in Int64(0)..<10 { record(&tracker, "T", at: 15 * 60 + second, count: 2) }
        #expect(tracker.rows()[0].state == .escalating)
        // Twenty minutes of nothing while another template keeps time moving: quiet, not steady.
        record(&tracker, "other", at: 36 * 60)
        #expect(tracker.rows().first { $0.stats.template == "T" }?.state == .quiet)
    }

    @Test func templatesFromTheFilesPastAreNotNew() {
        var tracker = EscalationTracker()
        tracker.record(
            template: "Known", level: .warn, source: "Server.log",
            occurrence: TemplateOccurrence(pane: 0, lineNumber: 1, time: Self.t0, text: "x"), fromThePast: true)
        record(&tracker, "Fresh", at: 0)
        #expect(tracker.rows().first { $0.stats.template == "Known" }?.state == .steady)
        #expect(tracker.rows().first { $0.stats.template == "Fresh" }?.state == .new)
    }

    @Test func theSlidingCountLosesTheOldestTickGradually() {
        var tracker = EscalationTracker()
        record(&tracker, "T", at: 0, count: 10)
        let stats = tracker.templates["T"]!
        #expect(stats.count(lastSeconds: 60, now: Self.t0 + 59) == 10)
        // Half of the tick that held them is out of the window five seconds later.
        #expect(stats.count(lastSeconds: 60, now: Self.t0 + 64) == 5)
        #expect(stats.count(lastSeconds: 60, now: Self.t0 + 70) == 0)
    }
}
