/// How often one crash group crashes now, against its own past: the last hour's occurrences beside its usual hourly
/// rate over the day before.
///
/// A group escalates when the last hour has at least `minimum` crashes and `factor` times its usual rate (a group
/// that had none in its past escalates at `minimum`). A group younger than an hour has no past to compare with.
public struct CrashGroupRate: Sendable, Equatable, Codable {
    /// Occurrences in the hour up to the crash (that one included).
    public var lastHour: Int
    /// Occurrences per hour in the 24 hours before that hour (or since the group was first seen); nil for a group
    /// younger than an hour.
    public var usualPerHour: Double?

    public static let minimum = 3
    public static let factor = 3.0
    static let hour: Int64 = 3_600
    static let baselineHours: Int64 = 24

    public init(lastHour: Int, usualPerHour: Double?) {
        self.lastHour = lastHour
        self.usualPerHour = usualPerHour
    }

    /// From the group's occurrence times (any order, on one time scale), when it was first seen, and the time of the
    /// crash it is computed at.
    public init(occurrenceTimes: [Int64], firstSeen: Int64, at now: Int64) {
        let hourStart = now - Self.hour
        lastHour = occurrenceTimes.filter { $0 > hourStart && $0 <= now }.count
        let baselineStart = max(firstSeen, hourStart - Self.baselineHours * Self.hour)
        let span = hourStart - baselineStart
        if span >= Self.hour {
            let before = occurrenceTimes.filter { $0 >= baselineStart && $0 <= hourStart }.count
            usualPerHour = Double(before) / (Double(span) / Double(Self.hour))
        } else {
            usualPerHour = nil
        }
    }

    public var isEscalating: Bool {
        guard lastHour >= Self.minimum, let usualPerHour else { return false }
        return Double(lastHour) >= Self.factor * usualPerHour
    }

    /// `7 in the last hour, usually 0.4 an hour`.
    public var summary: String {
        let usual = usualPerHour.map { $0 == 0 ? "none before" : "usually \(Self.format($0)) an hour" } ?? "a new group"
        return "\(lastHour) in the last hour, \(usual)"
    }

    static func format(_ value: Double) -> String {
        value >= 10 ? "\(Int(value.rounded()))" : "\(Double(Int((value * 10).rounded())) / 10)"
    }
}
