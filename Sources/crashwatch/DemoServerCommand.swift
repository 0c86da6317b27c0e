import ArgumentParser
import Demo
import Foundation
import LogWatch

#if canImport(Glibc)
import Glibc
import CrashwatchKit
#endif

/// The demo's "worldserver": behaves as the demo tree was last built. Hidden; run by `crashwatch demo --headless`
/// and the demo loop.
struct DemoServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-server", abstract: "The simulated worldserver of the demo loop.", shouldDisplay: false)

    @Option(help: "The demo folder (logs, Crashes/, build-state).")
    var folder: String

    func run() throws {
        let state = (try? String(contentsOfFile: "\(folder)/build-state", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "buggy"
        let log = "\(folder)/Server.log"
        FileManager.default.createFile(atPath: log, contents: nil)  // mode "w": a new run starts an empty file
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        var script = DemoScript(seed: 42)
        func write(_ count: Int) {
            let time = CivilTime(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
            for _ in 0..<count {
                let line = script.next()
                if line.file == .server { try? handle.write(contentsOf: Data((line.formatted(at: time) + "\n").utf8)) }
            }
        }
        print("worldserver (demo) started, build: \(state)")
        fflush(nil)
        for tick in 0..<1_000_000 {
            write(20)
            usleep(100_000)
            if state == "buggy", tick == 12 {
                let time = CivilTime(secondsSinceEpoch: Int64(Date().timeIntervalSince1970) + Int64(TimeZone.current.secondsFromGMT()))
                let report = DemoCrashReports.report(number: 0, at: time)
                try FileManager.default.createDirectory(atPath: "\(folder)/Crashes", withIntermediateDirectories: true)
                try report.text.write(toFile: "\(folder)/Crashes/\(report.name)", atomically: true, encoding: .utf8)
                print("Segmentation fault in Unit::DealDamage — crash report written to Crashes/\(report.name)")
                fflush(nil)
                signal(SIGSEGV, SIG_DFL)
                raise(SIGSEGV)
            }
        }
    }
}

/// The demo's "build": checks the demo tree and records what the server will run as.
struct DemoBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-build", abstract: "The simulated build of the demo loop.", shouldDisplay: false)

    @Option(help: "The demo source tree.")
    var tree: String

    @Option(help: "The demo folder (build-state is written there).")
    var folder: String

    func run() throws {
        switch DemoSourceTree.build(tree) {
        case .failed(let why):
            print("error: \(why)")
            throw ExitCode(2)
        case .buggy:
            try "buggy\n".write(toFile: "\(folder)/build-state", atomically: true, encoding: .utf8)
            print("[100%] Built target worldserver (demo; Unit::DealDamage still reads bot spell mods)")
        case .fixed:
            try "fixed\n".write(toFile: "\(folder)/build-state", atomically: true, encoding: .utf8)
            print("[100%] Built target worldserver (demo)")
        }
    }
}
