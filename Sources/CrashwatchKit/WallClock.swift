public import Foundation

/// The machine's local wall clock on the `CivilTime.secondsSinceEpoch` scale.
public enum WallClock {
    /// Local wall-clock seconds with the fields read as UTC, so that they compare with the times servers write.
    public static func localSeconds(_ date: Date = Date()) -> Int64 {
        Int64(date.timeIntervalSince1970) + Int64(TimeZone.current.secondsFromGMT(for: date))
    }
}
