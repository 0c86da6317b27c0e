public import CrashwatchKit
public import LogWatch

/// One line the simulated worldserver writes, and to which file.
public struct DemoLine: Sendable, Equatable {
    public enum File: Sendable, Equatable {
        /// `Server.log`, written with appender flags 7: `2025-10-31_01:15:35 ERROR [sql.sql] text`.
        case server
        /// `Playerbot.log`, written with flags 1 as the Playerbot module does: `2025-10-31_01:15:35 text`.
        case playerbot
    }

    public var file: File
    public var level: LogLevel
    public var logger: String
    public var text: String

    /// The line as the file appender writes it at `time` (without the newline).
    public func formatted(at time: CivilTime) -> String {
        let stamp = Self.stamp(time)
        switch file {
        case .server:
            let name = level.description
            return "\(stamp) \(name)\(String(repeating: " ", count: 6 - name.count))[\(logger)] \(text)"
        case .playerbot:
            return "\(stamp) \(text)"
        }
    }

    /// TrinityCore's `getTimeStr`: `YYYY-MM-DD_HH:MM:SS`.
    static func stamp(_ t: CivilTime) -> String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return
            "\(pad(t.year, 4))-\(pad(t.month, 2))-\(pad(t.day, 2))_\(pad(t.hour, 2)):\(pad(t.minute, 2)):\(pad(t.second, 2))"
    }
}
