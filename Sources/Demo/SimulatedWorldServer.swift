import CrashwatchKit
import Foundation
import LogWatch
import SystemPackage

/// A stand-in worldserver for `crashwatch demo`: writes `Server.log` and `Playerbot.log` into a folder at a chosen
/// rate, one `write` per line as TrinityCore's file appender flushes per line.
public actor SimulatedWorldServer {
    public let folder: String
    public let linesPerSecond: Double
    /// Write a crash report into `Crashes/` and restart (truncating `Server.log`) every this many seconds; nil: never.
    public let crashEvery: Duration?
    /// False when another process writes Server.log (the demo loop's server); then only the bot log is written.
    public let writesServerLog: Bool
    private var script: DemoScript
    private var crashes = 0

    public init(
        folder: String, linesPerSecond: Double, seed: UInt64 = UInt64.random(in: 1...UInt64.max),
        crashEvery: Duration? = nil,
        writesServerLog: Bool = true
    ) {
        self.writesServerLog = writesServerLog
        self.folder = folder
        self.linesPerSecond = max(0.1, linesPerSecond)
        self.script = DemoScript(seed: seed)
        self.crashEvery = crashEvery
    }

    public var crashFolder: String { "\(folder)/Crashes" }

    public var serverLogPath: String { "\(folder)/Server.log" }
    public var playerbotLogPath: String { "\(folder)/Playerbot.log" }

    /// Writes until the task is cancelled.
    ///
    /// `Server.log` and `Playerbot.log` are truncated first (mode `w`).
    public func run() async throws {
        var server = try open(writesServerLog ? serverLogPath : "\(folder)/.bot-only-server.log")
        let bot = try open(playerbotLogPath)
        defer {
            try? server.close()
            try? bot.close()
        }
        try FileManager.default.createDirectory(atPath: crashFolder, withIntermediateDirectories: true)
        let clock = ContinuousClock()
        let start = clock.now
        var written = 0.0
        var lastCrash = clock.now
        while !Task.isCancelled {
            if let crashEvery, clock.now - lastCrash >= crashEvery {
                lastCrash = clock.now
                let time = Self.localTimestamp()
                _ = try server.writeAll(
                    (DemoLine(
                        file: .server, level: .fatal, logger: "server.worldserver",
                        text: "Caught signal 11 — the worldserver crashed; see Crashes/"
                    ).formatted(at: time) + "\n").utf8)
                let report = DemoCrashReports.report(number: crashes, at: time)
                crashes += 1
                try report.text.write(toFile: "\(crashFolder)/\(report.name)", atomically: true, encoding: .utf8)
                // The restarted server opens Server.log with mode "w" and starts over.
                try server.close()
                server = try open(serverLogPath)
                script = DemoScript(seed: UInt64(crashes) &* 7919)
            }
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

    static func localTimestamp(_ date: Date = Date()) -> CivilTime {
        let c = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return CivilTime(
            year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1, hour: c.hour ?? 0, minute: c.minute ?? 0,
            second: c.second ?? 0)
    }
}
