import CrashwatchKit
import Foundation

/// Where `:goto` goes: a time of day, a date and time, a time relative to the newest line, or a line number.
public enum GotoTarget: Sendable, Equatable {
    /// Seconds on the `CivilTime` scale.
    case time(Int64)
    case line(Int)

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads `text` (`10:15`, `10:15:30`, `2026-12-01 10:15`, `-5m`, `-2h`, `-30s`, `1200`); `newest` is the time
    /// of the newest line, which a time of day and a relative time are read against.
    public static func parse(_ text: String, newest: Int64?) throws(Problem) -> GotoTarget {
        let text = text.trimmingCharacters(in: .whitespaces)
        let usage = "expected :goto 10:15, :goto 2026-12-01 10:15, :goto -5m or :goto LINE"
        if let line = Int(text), line > 0 { return .line(line) }
        if text.hasPrefix("-"), let unit = text.last, let amount = Int64(text.dropFirst().dropLast()), amount >= 0 {
            let scale: Int64? = unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : unit == "d" ? 86_400 : nil
            guard let scale else { throw Problem(description: "\(text): a relative time ends in s, m, h or d") }
            guard let newest else { throw Problem(description: "no line with a time yet to count \(text) from") }
            return .time(newest - amount * scale)
        }
        let parts = text.split(separator: " ")
        let clock = parts.last.map { $0.split(separator: ":").compactMap { Int($0) } } ?? []
        guard (2...3).contains(clock.count), clock.count == parts.last!.split(separator: ":").count,
            (0..<24).contains(clock[0]), (0..<60).contains(clock[1]), clock.count == 2 || (0..<60).contains(clock[2])
        else { throw Problem(description: "\(text): \(usage)") }
        let second = clock.count == 3 ? clock[2] : 0
        if parts.count == 2 {
            let date = parts[0].split(separator: "-").compactMap { Int($0) }
            guard date.count == 3, (1...12).contains(date[1]), (1...31).contains(date[2]) else {
                throw Problem(description: "\(text): \(usage)")
            }
            return .time(
                CivilTime(year: date[0], month: date[1], day: date[2], hour: clock[0], minute: clock[1], second: second)
                    .secondsSinceEpoch)
        }
        guard parts.count == 1 else { throw Problem(description: "\(text): \(usage)") }
        guard let newest else { throw Problem(description: "no line with a time yet to read \(text) against") }
        // A time of day is the newest line's day, or the day before when that is still to come.
        let day = CivilTime(secondsSinceEpoch: newest)
        var target = CivilTime(
            year: day.year, month: day.month, day: day.day, hour: clock[0], minute: clock[1], second: second
        ).secondsSinceEpoch
        if target > newest { target -= 86_400 }
        return .time(target)
    }
}
