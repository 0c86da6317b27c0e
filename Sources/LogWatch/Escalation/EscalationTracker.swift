/// Tracks templates over time and ranks them: escalating first, then new, steady, calming, quiet.
///
/// Time is the log lines' own: `now` is the newest timestamp seen, so replaying an old log gives the same answer as
/// watching it live. Bounded: beyond `maxTemplates` the least recently seen template is dropped (and counted).
public struct EscalationTracker: Sendable {
    public var config: EscalationConfig
    public private(set) var templates: [String: TemplateStats] = [:]
    public private(set) var now: Int64 = 0
    /// Templates dropped to stay within `maxTemplates`.
    public private(set) var evicted = 0

    public init(config: EscalationConfig = EscalationConfig()) {
        self.config = config
    }

    /// - Parameter fromThePast: the line was read from the file's past at start and carries no time of its own:
    ///   the template is not `new`, though its time (the read time) says so.
    public mutating func record(
        template: String, level: LogLevel, source: String, occurrence: TemplateOccurrence, flags: [String] = [],
        fromThePast: Bool = false
    ) {
        now = max(now, occurrence.time)
        if templates[template] == nil {
            if templates.count >= config.maxTemplates,
                let oldest = templates.min(by: { $0.value.lastSeen < $1.value.lastSeen })
            {
                templates[oldest.key] = nil
                evicted += 1
            }
            var stats = TemplateStats(template: template, level: level, source: source, time: occurrence.time)
            stats.flags = flags
            templates[template] = stats
        }
        templates[template]!.record(occurrence)
        if fromThePast { templates[template]!.seenBeforeStart = true }
    }

    /// The templates escalating now, the fastest first.
    public func escalating() -> [Row] { rows().filter { $0.state == .escalating } }

    public struct Row: Sendable {
        public var stats: TemplateStats
        public var state: EscalationState
        public var lastMinute: Int
        public var lastTenMinutes: Int
        public var lastHour: Int
    }

    /// All templates, what needs attention first.
    public func rows() -> [Row] {
        templates.values.map { stats in
            Row(
                stats: stats, state: stats.state(now: now, config: config),
                lastMinute: stats.count(lastMinutes: 1, now: now),
                lastTenMinutes: stats.count(lastMinutes: 10, now: now),
                lastHour: stats.count(lastMinutes: 60, now: now))
        }.sorted {
            if $0.state != $1.state { return $0.state < $1.state }
            if $0.lastMinute != $1.lastMinute { return $0.lastMinute > $1.lastMinute }
            if $0.stats.total != $1.stats.total { return $0.stats.total > $1.stats.total }
            return $0.stats.template < $1.stats.template
        }
    }
}
