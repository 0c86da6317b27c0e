import CrashwatchKit
import Foundation

/// The demo loop's "worldserver" and "build", as separate processes the supervisor really runs: the server writes
/// `Server.log` (a new, empty file each run), and when the demo tree was last built with the bug, writes a crash
/// report and dies of a real SIGSEGV; the build checks the demo tree and records what the server will run as.
public enum DemoWorldServer {
    /// What the last build left in `folder/build-state` (`buggy` when nothing was built).
    public static func buildState(in folder: String) -> String {
        (try? String(contentsOfFile: "\(folder)/build-state", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "buggy"
    }

    /// Runs the server until it crashes (buggy build, after `crashAfter` seconds) or is stopped; `say` prints its
    /// console lines.
    ///
    /// It writes both logs, so the bot log stops while the server is down, as a real one's does.
    public static func run(folder: String, crashAfter: Double = 1.3, seed: UInt64 = 42, say: (String) -> Void) throws
        -> Never
    {
        let state = buildState(in: folder)
        let log = "\(folder)/Server.log"
        FileManager.default.createFile(atPath: log, contents: nil)  // mode "w": a new run starts an empty file
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let botLog = "\(folder)/Playerbot.log"
        if !FileManager.default.fileExists(atPath: botLog) {
            FileManager.default.createFile(atPath: botLog, contents: nil)
        }
        let bots = try FileHandle(forWritingTo: URL(fileURLWithPath: botLog))
        _ = try? bots.seekToEnd()
        var script = DemoScript(seed: seed)
        func write(_ count: Int) {
            let time = CivilTime(secondsSinceEpoch: WallClock.localSeconds())
            for _ in 0..<count {
                let line = script.next()
                let bytes = Data((line.formatted(at: time) + "\n").utf8)
                try? (line.file == .server ? handle : bots).write(contentsOf: bytes)
            }
        }
        say("worldserver (demo) started, build: \(state)")
        var tick = 0
        while true {
            write(20)
            usleep(100_000)
            tick += 1
            if state == "buggy", Double(tick) >= crashAfter * 10 {
                let report = DemoCrashReports.report(
                    number: 0, at: CivilTime(secondsSinceEpoch: WallClock.localSeconds()))
                try FileManager.default.createDirectory(atPath: "\(folder)/Crashes", withIntermediateDirectories: true)
                try report.text.write(toFile: "\(folder)/Crashes/\(report.name)", atomically: true, encoding: .utf8)
                say("Segmentation fault in Unit::DealDamage — crash report written to Crashes/\(report.name)")
                signal(SIGSEGV, SIG_DFL)
                raise(SIGSEGV)
            }
        }
    }

    /// How a demo build ended.
    public enum BuildOutcome: Sendable, Equatable {
        case failed(String)
        case built(String)
    }

    /// Builds the demo tree: records `buggy` or `fixed` in `folder/build-state`, or says why it does not compile.
    public static func build(tree: String, folder: String) throws -> BuildOutcome {
        switch DemoSourceTree.build(tree) {
        case .failed(let why):
            return .failed("error: \(why)")
        case .buggy:
            try "buggy\n".write(toFile: "\(folder)/build-state", atomically: true, encoding: .utf8)
            return .built("[100%] Built target worldserver (demo; Unit::DealDamage still reads bot spell mods)")
        case .fixed:
            try "fixed\n".write(toFile: "\(folder)/build-state", atomically: true, encoding: .utf8)
            return .built("[100%] Built target worldserver (demo)")
        }
    }
}
