import CrashwatchKit
import DequeModule
import Testing

@testable import LogWatch

@Suite struct EscalationTests {
    /// 2025-10-31 11:00:00 as seconds; every test places lines relative to it.
    static let t0 = CivilTime(year: 2025, month: 10, day: 31, hour: 11, minute: 0, second: 0).secondsSinceEpoch

    private func occurrence(_ offset: Int64, line: Int = 1) -> TemplateOccurrence {
        TemplateOccurrence(pane: 0, lineNumber: line, time: Self.t0 + offset, text: "x")
    }

    private func record(_ tracker: inout EscalationTracker, _ template: String, at offsets: [Int64]) {
        for offset in offsets {
            tracker.record(template: template, level: .warn, source: "Server.log", occurrence: occurrence(offset))
        }
    }

    @Test func windowCountsUseTheLinesOwnTime() {
        var tracker = EscalationTracker()
        // 1 per minute for 30 minutes, then 4 in the last minute.
        record(&tracker, "T", at: (0..<30).map { Int64($0) * 60 })
        record(&tracker, "T", at: [29 * 60 + 10, 29 * 60 + 20, 29 * 60 + 30])
        let row = tracker.rows()[0]
        #expect(row.stats.total == 33)
        #expect(row.lastMinute == 4)
        #expect(row.lastTenMinutes == 13)
        #expect(row.lastHour == 33)
        #expect(tracker.now == Self.t0 + 29 * 60 + 30)
        #expect(row.stats.perMinute(last: 3, now: tracker.now) == [1, 1, 4])
    }

    @Test func oldBucketsAreClearedWhenTimeJumps() {
        var tracker = EscalationTracker()
        record(&tracker, "T", at: [0, 1, 2])
        record(&tracker, "T", at: [2 * 3600])
        let row = tracker.rows()[0]
        #expect(row.lastHour == 1, "an hour later the early lines are out of every window")
        #expect(row.stats.total == 4)
    }

    @Test func stateTransitions() {
        var config = EscalationConfig()
        config.factor = 3
        config.minimumCount = 5
        var tracker = EscalationTracker(config: config)
        record(&tracker, "T", at: [0])
        #expect(tracker.rows()[0].state == .new)
        // Steady: 2 per minute for 20 minutes.
        record(&tracker, "T", at: (1..<40).map { Int64($0) * 30 })
        #expect(tracker.rows()[0].state == .steady)
        // A spike: 12 in the next minute, against a baseline of 2 per minute.
        record(&tracker, "T", at: (0..<12).map { 20 * 60 + Int64($0) * 4 })
        #expect(tracker.rows()[0].state == .escalating)
        // Then silence for a minute while another template keeps time moving: calming.
        record(&tracker, "other", at: [22 * 60 + 5])
        #expect(tracker.rows().first { $0.stats.template == "T" }?.state == .calming)
    }

    @Test func aSpikeBelowTheMinimumIsNotEscalating() {
        var tracker = EscalationTracker()
        record(&tracker, "T", at: [0, 700, 1400])
        record(&tracker, "T", at: [1410, 1420, 1430])
        #expect(tracker.rows()[0].state != .escalating)
    }

    @Test func legacyLifetimeRuleIsAConfigOption() {
        var config = EscalationConfig()
        config.lifetimeCountThreshold = 5
        var tracker = EscalationTracker(config: config)
        record(&tracker, "T", at: [0, 1000, 2000, 3000])
        #expect(tracker.rows()[0].state != .escalating)
        record(&tracker, "T", at: [4000])
        #expect(tracker.rows()[0].state == .escalating)
    }

    @Test func sortedByStateThenRate() {
        var tracker = EscalationTracker()
        record(&tracker, "steady", at: (0..<40).map { Int64($0) * 30 })
        record(&tracker, "spiking", at: (0..<20).map { Int64($0) * 60 } + (0..<8).map { 19 * 60 + Int64($0) })
        let states = tracker.rows().map(\.stats.template)
        #expect(states.first == "spiking")
    }

    @Test func templatesAreBoundedAndEvictionIsCounted() {
        var config = EscalationConfig()
        config.maxTemplates = 50
        var tracker = EscalationTracker(config: config)
        for n in 0..<200 { record(&tracker, "template \(n)", at: [Int64(n)]) }
        #expect(tracker.templates.count == 50)
        #expect(tracker.evicted == 150)
        #expect(tracker.templates["template 199"] != nil)
        #expect(tracker.templates["template 0"] == nil, "the least recently seen go first")
    }

    @Test func latestOccurrencesAreKept() {
        var tracker = EscalationTracker()
        for n in 1...5 {
            tracker.record(template: "T", level: .warn, source: "S", occurrence: occurrence(Int64(n), line: n))
        }
        #expect(tracker.templates["T"]?.latest.map(\.lineNumber) == [3, 4, 5])
    }

    @Test func errorRingFoldsRepeatsAndFlagsBursts() {
        var ring = ErrorRing(capacity: 3)
        func entry(_ template: String, _ second: Int64, line: Int) -> ErrorRing.Entry {
            ErrorRing.Entry(
                pane: 0, source: "Server.log", time: nil, seconds: Self.t0 + second, level: .error, logger: nil,
                message: template, template: template, lineNumber: line, flags: [])
        }
        for n in 0..<12 { ring.record(entry("A", Int64(n / 2), line: n)) }
        #expect(ring.entries.count == 1)
        #expect(ring.entries[0].count == 12)
        #expect(ring.entries[0].lineNumber == 11)
        #expect(ring.entries[0].flags == ["burst"])
        ring.record(entry("B", 20, line: 20))
        ring.record(entry("A", 21, line: 21))
        ring.record(entry("C", 22, line: 22))
        #expect(ring.entries.map(\.template) == ["B", "A", "C"], "bounded: the oldest entry went")
        #expect(ring.total == 15)
    }

    @Test func slowRepeatsAreNotABurst() {
        var ring = ErrorRing()
        for n in 0..<12 {
            ring.record(
                ErrorRing.Entry(
                    pane: 0, source: "S", time: nil, seconds: Int64(n * 60), level: .error, logger: nil,
                    message: "A", template: "A", lineNumber: n, flags: []))
        }
        #expect(ring.entries[0].flags.isEmpty)
    }

    @Test func lastActionPerBot() {
        var bots = BotActivity(capacity: 2)
        bots.record("Bot Aldor action: attack Hogger", time: 1, lineNumber: 1)
        bots.record("Objective stuck for bot Durotan: Quest 176 Objective 1", time: 2, lineNumber: 2)
        bots.record("Bot Aldor action: loot Hogger", time: 3, lineNumber: 3)
        bots.record("Bot Celestia action: heal", time: 4, lineNumber: 4)
        #expect(bots.byRecency.map(\.bot) == ["Celestia", "Aldor"], "bounded to 2; Durotan was the least recent")
        #expect(bots.latest["Aldor"]?.text == "Bot Aldor action: loot Hogger")
    }

    @Test func triageModelRoutesLines() throws {
        var model = TriageModel(
            templater: MessageTemplater(rules: try MessageTemplaterTests.shippedRules()), suspicious: SuspiciousRules())
        var classifier = LineClassifier()
        for text in [
            "2025-10-31_11:00:01 ERROR [spells] Spell::EffectTriggerSpell spell 1 tried to trigger unknown spell 2",
            "2025-10-31_11:00:02 ERROR [spells] Spell::EffectTriggerSpell spell 3 tried to trigger unknown spell 4",
            "2025-10-31_11:00:03 WARN  [warden] [Player: Thrall (GUID Full: 0x42 Type: Player Low: 66, Account: 7)] failed Warden check 209. Action: Ban",
            "2025-10-31_11:00:04 INFO  [maps] Map 1 loaded",
        ] {
            model.ingest(
                classifier.classify(RawLine(bytes: Array(text.utf8))), pane: 0, source: "Server.log", readTime: 0,
                isBotLog: false)
        }
        #expect(model.errors.entries.count == 1)
        #expect(model.errors.entries[0].count == 2)
        #expect(
            model.warnings.templates.keys.sorted() == [
                "[Player: <name> (GUID Full: <hex> Type: Player Low: <n>, Account: <n>)] failed Warden check <n>. Action: Ban"
            ])
    }

    @Test func suspiciousRulesFlag() throws {
        var rules = SuspiciousRules()
        try rules.add("null = \\bnullptr\\b|does not exist\ndatabase = \\bSQL\\b\n", file: "s.txt")
        #expect(rules.flags(for: "Creature (GUID: 1) does not exist but has a record") == ["null"])
        #expect(rules.flags(for: "SQL error: nullptr") == ["null", "database"])
        #expect(rules.flags(for: "all fine").isEmpty)
    }
}
