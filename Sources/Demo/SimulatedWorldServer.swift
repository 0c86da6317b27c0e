import Foundation
import LogWatch
import SystemPackage

/// A stand-in worldserver for `crashwatch demo`: writes `Server.log` and `Playerbot.log` into a folder at a chosen
/// rate, one `write` per line as TrinityCore's file appender flushes per line.
public actor SimulatedWorldServer {
    public let folder: String
    public let linesPerSecond: Double
    private var script: DemoScript

    public init(folder: String, linesPerSecond: Double, seed: UInt64 = UInt64.random(in: 1...UInt64.max)) {
        self.folder = folder
        self.linesPerSecond = max(0.1, linesPerSecond)
        self.script = DemoScript(seed: seed)
    }

    public var serverLogPath: String { "\(folder)/Server.log" }
    public var playerbotLogPath: String { "\(folder)/Playerbot.log" }

    /// Writes until the task is cancelled. `Server.log` and `Playerbot.log` are truncated first (mode `w`).
    public func run() async throws {
        let server = try open(serverLogPath)
        let bot = try open(playerbotLogPath)
        defer {
            try? server.close()
            try? bot.close()
        }
        let clock = ContinuousClock()
        let start = clock.now
        var written = 0.0
        while !Task.isCancelled {
            let elapsed = (clock.now - start)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let due = Int(seconds * linesPerSecond - written)
            if due > 0 {
                let time = Self.localTimestamp()
                for _ in 0..<due {
                    let line = script.next()
                    let text = line.formatted(at: time) + "\n"
                    _ = try (line.file == .server ? server : bot).writeAll(text.utf8)
                }
                written += Double(due)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func open(_ path: String) throws -> FileDescriptor {
        try FileDescriptor.open(
            FilePath(path), .writeOnly, options: [.create, .truncate, .append, .closeOnExec],
            permissions: [.ownerReadWrite, .groupRead, .otherRead])
    }

    static func localTimestamp(_ date: Date = Date()) -> LogTimestamp {
        let c = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return LogTimestamp(
            year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1, hour: c.hour ?? 0, minute: c.minute ?? 0,
            second: c.second ?? 0)
    }
}
