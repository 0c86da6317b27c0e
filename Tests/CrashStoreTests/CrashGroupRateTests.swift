import Testing

@testable import CrashStore

@Suite struct CrashGroupRateTests {
    let hour: Int64 = 3_600
    let now: Int64 = 1_000_000

    @Test func aSteadyGroupDoesNotEscalate() {
        // One crash an hour for a day, and one in the last hour.
        let times = (0..<25).map { now - Int64($0) * hour }
        let rate = CrashGroupRate(occurrenceTimes: times, firstSeen: now - 24 * hour, at: now)
        #expect(rate.lastHour == 1)
        #expect(rate.usualPerHour.map { abs($0 - 24.0 / 23.0) < 0.01 } == true)
        #expect(!rate.isEscalating)
    }

    @Test func threeTimesTheUsualRateAndAtLeastThreeEscalates() {
        let past = (1...24).map { now - Int64($0) * hour - 1 }
        let burst = [now, now - 60, now - 120]
        #expect(CrashGroupRate(occurrenceTimes: past + burst, firstSeen: now - 25 * hour, at: now).isEscalating)
        // Two are not enough, however quiet the past.
        #expect(!CrashGroupRate(occurrenceTimes: [now, now - 60], firstSeen: now - 48 * hour, at: now).isEscalating)
        // With none before the last hour (the group is old), three escalate.
        let quiet = CrashGroupRate(occurrenceTimes: burst, firstSeen: now - 48 * hour, at: now)
        #expect(quiet.isEscalating && quiet.usualPerHour == 0)
        #expect(quiet.summary == "3 in the last hour, none before")
        // A group younger than an hour has no past to compare with.
        let young = CrashGroupRate(occurrenceTimes: burst, firstSeen: now - 600, at: now)
        #expect(young.usualPerHour == nil && !young.isEscalating)
    }
}
