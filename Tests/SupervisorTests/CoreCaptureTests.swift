import AppCore
import CoreDumps
import CrashAnalysis
import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import Supervisor

/// A real C++ program, compiled here with debug symbols, crashing for real: core → gdb → report, as the loop does it on
/// a Linux realm.
///
/// Needs a C++ compiler, gdb and file cores (`.ci/run` installs the first two; the kernel's default `core_pattern` is a
/// file).
@Suite(.timeLimit(.minutes(3)), .serialized, .heavy) struct CoreCaptureTests {
    let scratch = TemporaryDirectory("crashwatch-cores")
    let binary: String
    let crashFolder: String
    let analyzer: CrashAnalyzer

    init() throws {
        binary = try MiniWorld.build(in: scratch.path)
        crashFolder = "\(scratch.path)/Crashes"
        try FileManager.default.createDirectory(atPath: crashFolder, withIntermediateDirectories: true)
        analyzer = try RuleLibrary.load(directories: [Repository.rules]).analyzer
    }

    func effects(_ mode: String, adjust: (inout SupervisedEffects.Configuration) -> Void = { _ in })
        -> SupervisedEffects
    {
        var configuration = SupervisedEffects.Configuration(
            server: ProcessSpec(command: "'\(binary)' \(mode)", workingDirectory: scratch.path), build: nil, test: nil,
            crashFolder: crashFolder, sourceRoot: scratch.path)
        configuration.retestTime = .seconds(60)
        configuration.freezeAfter = nil
        adjust(&configuration)
        return SupervisedEffects(
            configuration: configuration, analyzer: analyzer, decide: { _, _ in .rejected(reason: "test") })
    }

    func crashReport(_ outcome: ServerOutcome) throws -> String {
        guard case .crashed(let report) = outcome else {
            Issue.record("expected a crash, got \(outcome)")
            throw CancellationError()
        }
        return report
    }

    func writtenReports() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: crashFolder)) ?? []).filter { $0.hasSuffix(".txt") }
    }

    @Test func aSegfaultOnTheWorldThreadBecomesAReportWithItsWholeStack() async throws {
        let effects = effects("crash")
        let report = try crashReport(await effects.runServer())
        let result = analyzer.analyze(text: report)
        #expect(result.signature.signature == "SIGSEGV | Unit::GetHealth")
        // The crashing thread is the world thread, not the main one, and every frame of it is there.
        let thread = try #require(result.report.crashingThread)
        let functions = thread.frames.compactMap(\.function)
        #expect(functions.prefix(3) == ["Unit::GetHealth", "Map::Update", "World::Update"], "\(functions)")
        #expect(functions.contains { $0.contains("WorldUpdateLoop") }, "\(functions)")
        #expect(!functions.contains { $0 == "main" })
        #expect(result.report.buildHash == "0123456789ab+", "the build from the server's own start-up line")
        #expect(result.report.threads.count >= 3, "thread apply all: main, network, world")
        #expect(report.contains("Core: "))
        // The same text is in the crash folder, for the inbox.
        let written = writtenReports()
        #expect(written.count == 1)
        #expect(written.first?.hasPrefix("gdb-") == true)
        let stored = try String(contentsOfFile: "\(crashFolder)/\(written[0])", encoding: .utf8)
        #expect(stored == report)
        #expect(await effects.lastCaptureNote?.contains("1 core(s) kept") == true)
    }

    @Test func anAbortIsSignedPastTheAbortMachinery() async throws {
        let report = try crashReport(await effects("abort").runServer())
        let result = analyzer.analyze(text: report)
        #expect(result.signature.signature.hasPrefix("SIGABRT"), "\(result.signature.signature)")
        #expect(result.signature.signature.contains("World::Update"), "\(result.signature.signature)")
    }

    @Test func underGdbTheSameStackIsTakenWithoutACore() async throws {
        let report = try crashReport(
            await effects("crash") {
                $0.runUnderGdb = true
                $0.captureCores = false
            }.runServer())
        let result = analyzer.analyze(text: report)
        #expect(result.signature.signature == "SIGSEGV | Unit::GetHealth", "\(report.prefix(2000))")
        #expect(
            result.report.crashingThread?.frames.contains { $0.function?.contains("WorldUpdateLoop") == true } == true)
        #expect(!report.contains("Core: "))
        #expect(writtenReports().count == 1)
    }

    @Test func aFrozenServerKeepsTheStackOfItsHungThread() async throws {
        let effects = effects("freeze") { $0.freezeAfter = .seconds(2) }
        let report = try crashReport(await effects.runServer())
        let result = analyzer.analyze(text: report)
        #expect(result.report.isFreeze)
        #expect(result.signature.signature.hasPrefix("FREEZE"), "\(result.signature.signature)")
        #expect(report.contains("Map::Update"), "the hung world thread's stack is kept")
        #expect(writtenReports().first?.hasPrefix("freeze-") == true)
    }

    @Test func withCoresOffTheReportSaysSoAndHowToTurnThemOn() async throws {
        let effects = effects("crash") {
            $0.server.command = "ulimit -c 0; exec '\(binary)' crash"
        }
        let report = try crashReport(await effects.runServer())
        #expect(report.contains("cores are off for the server"), "\(report.prefix(1500))")
        #expect(report.contains("ulimit -c unlimited"))
        // Still a crash, signed by its signal, and counted.
        #expect(analyzer.analyze(text: report).signature.signature.hasPrefix("SIGSEGV"))
        #expect(writtenReports().count == 1)
    }

    @Test func withoutGdbTheReportSaysWhatToInstallAndTheCommand() async throws {
        let effects = effects("crash") { $0.gdb = Gdb(executable: "gdb-not-installed-here") }
        let report = try crashReport(await effects.runServer())
        #expect(report.contains("gdb is not installed"))
        #expect(report.contains("Run by hand: gdb-not-installed-here -batch"))
        #expect(report.contains("Core: "), "the core is still found and named")
        #expect(analyzer.analyze(text: report).signature.signature.hasPrefix("SIGSEGV"))
    }

    @Test func aCoreFromAnotherBinaryIsSaid() async throws {
        // `server-binary` pointing at another program than the one that crashed.
        let report = try crashReport(await effects("crash") { $0.serverBinary = "/bin/true" }.runServer())
        #expect(report.contains("may not match"), "\(report.prefix(1500))")
    }

    @Test func aCoreWrittenIntoTheWatchedFolderBecomesOneReport() async throws {
        let cores = "\(scratch.path)/cores"
        try FileManager.default.createDirectory(atPath: cores, withIntermediateDirectories: true)
        try "not a core".write(toFile: "\(cores)/README", atomically: false, encoding: .utf8)
        // The server crashes outside crashwatch; the kernel's `core` pattern puts the core in its folder.
        let crashed = try ChildProcess.run(["sh", "-c", "ulimit -c unlimited; cd '\(cores)' && exec '\(binary)' crash"])
        #expect(crashed.status != 0)
        let capture = CoreCapture(
            locator: .current(extractFolder: cores), gdb: Gdb(), crashFolder: crashFolder, serverBinary: nil)
        let watcher = CoreFolderWatcher(folder: cores, capture: capture, settleTime: .milliseconds(100))
        #expect(await watcher.scan().isEmpty, "a core is read only once its size has settled")
        try await Task.sleep(for: .milliseconds(150))
        let captured = await watcher.scan()
        #expect(captured.count == 1)
        let result = analyzer.analyze(text: try #require(captured.first).text)
        #expect(result.signature.signature == "SIGSEGV | Unit::GetHealth")
        #expect(captured.first?.report.binary == binary, "the program is read from the core itself")
        #expect(await watcher.scan().isEmpty)
        // After a restart, the core that already has its report is not done again.
        let restarted = CoreFolderWatcher(folder: cores, capture: capture, settleTime: .zero)
        #expect(await restarted.scan().isEmpty)
        #expect(await restarted.scan().isEmpty)
        #expect(writtenReports().count == 1)
    }

    @Test func aStrippedBinaryAndATruncatedCoreAreSaid() async throws {
        let stripped = scratch.file("worldserver-stripped")
        try FileManager.default.copyItem(atPath: binary, toPath: stripped)
        #expect(try ChildProcess.run(["strip", stripped]).succeeded)
        let report = try crashReport(await effects("crash") { $0.serverBinary = stripped }.runServer())
        #expect(report.contains("no debugging symbols"), "\(report.prefix(1500))")
        // A core cut short (a full disk): gdb says so, and so does the report.
        let core = try #require(CoreReport.corePath(in: Substring(report)))
        let cut = scratch.file("core.cut")
        let data = try Data(contentsOf: URL(fileURLWithPath: core))
        try data.prefix(data.count / 3).write(to: URL(fileURLWithPath: cut))
        let capture = CoreCapture(
            locator: .current(extractFolder: scratch.path), gdb: Gdb(), crashFolder: crashFolder, serverBinary: binary)
        let truncated = await capture.capture(core: cut)
        #expect(truncated.text.contains("the core is truncated"), "\(truncated.text.prefix(1500))")
        #expect(truncated.path != nil, "still written, still counted")
    }

    @Test func aServerThatDiedBeforeItWasEverSeenIsFoundByWhereItRan() async throws {
        let folder = scratch.file("fast")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let started = Date()
        _ = try ChildProcess.run(["sh", "-c", "ulimit -c unlimited; cd '\(folder)' && exec '\(binary)' abort"])
        let capture = CoreCapture(
            locator: .current(extractFolder: folder), gdb: Gdb(), crashFolder: crashFolder, serverBinary: nil)
        let captured = await capture.capture(
            CoreCapture.Crash(
                processes: [], startedAt: started, signal: 6, buildLine: nil, lastOutput: [], fallbackPID: 1,
                workingDirectory: folder))
        #expect(captured.report.core != nil, "\(captured.text.prefix(800))")
        #expect(captured.report.binary == binary, "the program is read from the core")
        #expect(analyzer.analyze(text: captured.text).signature.signature.contains("World::Update"))
    }
}
