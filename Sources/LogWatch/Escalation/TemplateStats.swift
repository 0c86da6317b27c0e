public import DequeModule

/// Counts of one template: per-minute buckets for the last hour (by the lines' own timestamps), totals and the
/// latest occurrences.
public struct TemplateStats: Sendable {
    public let template: String
    public var level: LogLevel
    public var source: String
    public private(set) var total = 0
    public private(set) var firstSeen: Int64
    public private(set) var lastSeen: Int64
    public private(set) var latest: Deque<TemplateOccurrence> = []
    public var flags: [String] = []
    /// `buckets[m % 60]` counts minute `m` (seconds / 60) for the 60 minutes up to `lastMinute`.
    private var buckets = [Int](repeating: 0, count: 60)
    private var lastMinute: Int64

    static let occurrencesKept = 3

    init(template: String, level: LogLevel, source: String, time: Int64) {
        self.template = template
        self.level = level
        self.source = source
        firstSeen = time
        lastSeen = time
        lastMinute = time / 60
    }

    mutating func record(_ occurrence: TemplateOccurrence) {
        total += 1
        let minute = occurrence.time / 60
        if minute > lastMinute {
            let gap = min(minute - lastMinute, 60)
            for step in 1...gap { buckets[Int((lastMinute + step) % 60)] = 0 }
            lastMinute = minute
        }
        if lastMinute - minute < 60 { buckets[Int(minute % 60)] += 1 }
        firstSeen = min(firstSeen, occurrence.time)
        lastSeen = max(lastSeen, occurrence.time)
        latest.append(occurrence)
        if latest.count > Self.occurrencesKept { latest.removeFirst() }
    }

    /// Occurrences in minute `minute` (0 when outside the hour kept).
    public func count(inMinute minute: Int64) -> Int {
        guard minute <= lastMinute, lastMinute - minute < 60 else { return 0 }
        return buckets[Int(minute % 60)]
    }

    /// Occurrences in the `minutes` minutes ending with the minute of `now`.
    public func count(lastMinutes minutes: Int, now: Int64) -> Int {
        let current = now / 60
        return (0..<Int64(minutes)).reduce(0) { $0 + count(inMinute: current - $1) }
    }

    /// Per-minute counts for the last `minutes` minutes, oldest first.
    public func perMinute(last minutes: Int, now: Int64) -> [Int] {
        let current = now / 60
        return (0..<Int64(minutes)).reversed().map { count(inMinute: current - $0) }
    }

    /// The state at `now` (the newest log time seen, not the wall clock).
    public func state(now: Int64, config: EscalationConfig) -> EscalationState {
        let current = now / 60
        let thisMinute = count(inMinute: current)
        // Baseline: the ten minutes before, counted only since the template first appeared.
        let firstMinute = firstSeen / 60
        let baselineMinutes = max(0, min(10, current - firstMinute))
        let baselineTotal = (1...10).reduce(0) { $0 + count(inMinute: current - Int64($1)) }
        let baseline = baselineMinutes > 0 ? Double(baselineTotal) / Double(baselineMinutes) : 0
        if let threshold = config.lifetimeCountThreshold {
            if total >= threshold { return .escalating }
        } else if baselineMinutes > 0, thisMinute >= config.minimumCount, Double(thisMinute) >= config.factor * baseline
        {
            // Escalation is measured against the template's own past; one that has none yet is `new`.
            return .escalating
        }
        if now - firstSeen < config.newWindowSeconds { return .new }
        if baseline >= 1, Double(thisMinute) * config.factor <= baseline { return .calming }
        return .steady
    }
}
