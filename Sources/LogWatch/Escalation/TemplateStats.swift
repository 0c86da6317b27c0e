public import DequeModule

/// Counts of one template: 10-second buckets for the last hour (by the lines' own timestamps), totals and the latest
/// occurrences.
///
/// Rates are read over sliding windows that end now — the last 60 seconds, not "this minute" — so a steady rate reads
/// steady at every second, not "calming" each time a minute begins and "escalating" again as it fills.
public struct TemplateStats: Sendable {
    public let template: String
    public var level: LogLevel
    public var source: String
    public private(set) var total = 0
    public private(set) var firstSeen: Int64
    public private(set) var lastSeen: Int64
    public private(set) var latest: Deque<TemplateOccurrence> = []
    public var flags: [String] = []
    /// Seen in the file's past before crashwatch started, at times it cannot place (lines without a timestamp read
    /// at start): never `new`, whatever its first placed time.
    public var seenBeforeStart = false
    /// The values behind the template's masks (which bots, quests, spells), most frequent first.
    public private(set) var values = MaskedValues()
    /// `buckets[t % 360]` counts tick `t` (seconds / 10) for the 360 ticks up to `lastTick`.
    private var buckets = [Int](repeating: 0, count: Self.bucketCount)
    private var lastTick: Int64

    static let occurrencesKept = 3
    static let tickSeconds: Int64 = 10
    static let bucketCount = 360

    init(template: String, level: LogLevel, source: String, time: Int64) {
        self.template = template
        self.level = level
        self.source = source
        firstSeen = time
        lastSeen = time
        lastTick = time / Self.tickSeconds
    }

    mutating func record(_ occurrence: TemplateOccurrence) {
        total += 1
        let tick = occurrence.time / Self.tickSeconds
        if tick > lastTick {
            let gap = min(tick - lastTick, Int64(Self.bucketCount))
            for step in 1...gap { buckets[Int((lastTick + step) % Int64(Self.bucketCount))] = 0 }
            lastTick = tick
        }
        if lastTick - tick < Int64(Self.bucketCount) { buckets[Int(tick % Int64(Self.bucketCount))] += 1 }
        firstSeen = min(firstSeen, occurrence.time)
        lastSeen = max(lastSeen, occurrence.time)
        latest.append(occurrence)
        if latest.count > Self.occurrencesKept { latest.removeFirst() }
        values.record(Substring(occurrence.text), template: template)
    }

    private func count(inTick tick: Int64) -> Int {
        guard tick <= lastTick, lastTick - tick < Int64(Self.bucketCount) else { return 0 }
        return buckets[Int(tick % Int64(Self.bucketCount))]
    }

    /// Occurrences in the `seconds` before `now` (a multiple of 10 up to an hour): whole ticks, the oldest one
    /// weighted by the part of it still inside the window, so the count slides smoothly.
    public func count(lastSeconds seconds: Int64, now: Int64) -> Double {
        let current = now / Self.tickSeconds
        let elapsed = Double(now % Self.tickSeconds + 1) / Double(Self.tickSeconds)
        let ticks = max(1, seconds / Self.tickSeconds)
        var sum = 0.0
        for back in 0..<ticks { sum += Double(count(inTick: current - back)) }
        // The tick that is leaving the window.
        sum += Double(count(inTick: current - ticks)) * (1 - elapsed)
        return sum
    }

    /// Occurrences in the `minutes` minutes before `now`, rounded.
    public func count(lastMinutes minutes: Int, now: Int64) -> Int {
        Int(count(lastSeconds: Int64(minutes) * 60, now: now).rounded())
    }

    /// Occurrences in clock minute `minute` (seconds / 60), for the sparkline.
    public func count(inMinute minute: Int64) -> Int {
        let first = minute * 60 / Self.tickSeconds
        return (first..<(first + 60 / Self.tickSeconds)).reduce(0) { $0 + count(inTick: $1) }
    }

    /// Per-minute counts for the last `minutes` minutes, oldest first.
    public func perMinute(last minutes: Int, now: Int64) -> [Int] {
        let current = now / 60
        return (0..<Int64(minutes)).reversed().map { count(inMinute: current - $0) }
    }

    /// The rate of the last minute, and the baseline: occurrences per minute over the ten minutes before it (only
    /// the part since the template first appeared; nil while there is none).
    public func rates(now: Int64) -> (recent: Double, baseline: Double?) {
        let recent = count(lastSeconds: 60, now: now)
        let history = min(600, now - 60 - firstSeen)
        guard history >= 60 else { return (recent, nil) }
        let before = count(lastSeconds: 60 + history, now: now) - recent
        return (recent, before / (Double(history) / 60))
    }

    /// The state at `now` (the newest log time seen, not the wall clock).
    public func state(now: Int64, config: EscalationConfig) -> EscalationState {
        if let threshold = config.lifetimeCountThreshold, total >= threshold { return .escalating }
        if now - lastSeen >= config.quietSeconds { return .quiet }
        let (recent, baseline) = rates(now: now)
        if config.lifetimeCountThreshold == nil, let baseline, recent >= Double(config.minimumCount),
            recent >= config.factor * baseline
        {
            // Escalation is measured against the template's own past; one that has none yet is `new`.
            return .escalating
        }
        if !seenBeforeStart, now - firstSeen < config.newWindowSeconds { return .new }
        if let baseline, baseline >= 1, recent * config.factor <= baseline { return .calming }
        return .steady
    }
}
