import AppCore
import ArgumentParser
import CoreDumps
import CrashAnalysis
import CrashInbox
import CrashwatchKit
import Demo
import Foundation
import Supervisor

struct BenchCoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "core",
        abstract:
            "Crash the demo's C++ program for real; print the time from its death to its gdb report in the inbox.",
        discussion:
            "Each crash: core found → gdb → report written → analysed and stored by the inbox. `gdb -batch -ex bt` alone on the same core runs beside it as the reference. Then a freeze: the time from its detection to the stored stacks."
    )

    @Option(help: "How many crashes.")
    var crashes = 10

    func run() async throws {
        let tools = try DemoToolchain.find().get()
        let scratch = TemporaryDirectory("crashwatch-bench-core")
        defer { withExtendedLifetime(scratch) {} }
        let tree = scratch.file("tree")
        let crashFolder = scratch.file("Crashes")
        try DemoSourceTree.create(at: tree)
        let built = try ChildProcess.run(
            ["sh", "-c", "cd '\(tree)' && \(DemoProgram.buildCommand(compiler: tools.compiler))"],
            timeout: .seconds(300))
        guard built.succeeded else { throw ValidationError("the demo program did not compile: \(built.errorText)") }
        let binary = "\(tree)/\(DemoProgram.binary)"
        let setup = try CrashSetup.make(
            folders: [crashFolder], historyPath: scratch.file("history.sqlite"),
            ruleDirectories: RuleLibrary.defaultDirectories())
        let inbox = CrashInboxService(analyzer: setup.analyzer, history: setup.history)
        let watcher = CrashFolderWatcher(folders: [crashFolder])
        let arrivals = ArrivalLog()
        let signatures = LockBox<[String: String]>([:])
        let consumer = Task {
            for await event in watcher {
                if let item = await inbox.process(event) {
                    await arrivals.add(path: item.path, at: ContinuousClock.now)
                    signatures.withLock { $0[item.path] = item.result?.signature.signature }
                }
            }
        }
        defer { consumer.cancel() }
        try await Task.sleep(for: .milliseconds(200))
        let gdb = Gdb(executable: tools.gdb)
        let capture = CoreCapture(
            locator: .current(extractFolder: "\(crashFolder)/cores"), gdb: gdb, crashFolder: crashFolder,
            serverBinary: nil)
        var totals: [Double] = []
        var references: [Double] = []
        var signature = ""
        for number in 0..<crashes {
            var spec = ProcessSpec(
                command: "'\(binary)' --logs '\(scratch.path)' --seed \(number + 1) --crash-after 0.2",
                workingDirectory: scratch.path)
            spec.allowCoreDumps = true
            let outcome = try await CommandRunner(timeout: .seconds(30)).run(spec)
            guard let signal = outcome.crashSignal else {
                throw ValidationError("run \(number + 1): the demo program did not crash (\(outcome.termination))")
            }
            let start = ContinuousClock.now
            let captured = await capture.capture(
                CoreCapture.Crash(
                    processes: outcome.processes, startedAt: outcome.startedAt, signal: signal, buildLine: nil,
                    lastOutput: outcome.lastLines, fallbackPID: outcome.pid))
            guard let path = captured.path, let core = captured.report.core else {
                throw ValidationError("run \(number + 1): no report (\(captured.problem ?? "?"))")
            }
            let deadline = ContinuousClock.now + .seconds(30)
            while await arrivals.count <= number, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            guard let latency = await arrivals.latencies(since: [path: start]).first else {
                throw ValidationError("run \(number + 1): the report never reached the inbox")
            }
            totals.append(latency)
            signature = signatures.withLock { $0[path] } ?? "not analysed"
            let referenceStart = ContinuousClock.now
            _ = try ChildProcess.run([tools.gdb, "-batch", "-nx", "-ex", "bt", binary, core], timeout: .seconds(60))
            references.append((ContinuousClock.now - referenceStart).seconds)
        }
        var freezeSpec = ProcessSpec(
            command: "'\(binary)' --logs '\(scratch.path)' --crash-after 0 --freeze-after 0.3",
            workingDirectory: scratch.path)
        freezeSpec.allowCoreDumps = true
        var runner = CommandRunner(timeout: .seconds(60), freezeAfter: .seconds(2))
        let freezeTime = LockBox<Double?>(nil)
        runner.onFreeze = { pid in
            let start = ContinuousClock.now
            let captured = await capture.captureFreeze(pid: pid, buildLine: nil, lastOutput: [])
            if captured.path != nil, captured.problem == nil {
                freezeTime.withLock { $0 = (ContinuousClock.now - start).seconds }
            }
        }
        _ = try await runner.run(freezeSpec)

        func ms(_ value: Double) -> String { String(format: "%.0f ms", value * 1000) }
        let sorted = totals.sorted()
        let referenceSorted = references.sorted()
        print(
            "crashwatch bench core: \(crashes) real SIGSEGVs of the demo program (\(binary), built with \(tools.compiler))"
        )
        print("  signature                     \(signature)")
        print(
            "  death → report in the inbox   median \(ms(sorted[sorted.count / 2])), worst \(ms(sorted.last ?? 0)) (core found, gdb, report written, seen by the inbox, analysed, stored)"
        )
        print(
            "  reference gdb -batch -ex bt   median \(ms(referenceSorted[referenceSorted.count / 2])), worst \(ms(referenceSorted.last ?? 0)) (same cores, same run)"
        )
        if let freeze = freezeTime.withLock({ $0 }) {
            print("  freeze detected → stacks stored  \(ms(freeze)) (gdb -p attached, every thread)")
        } else {
            print("  freeze: no stacks were stored (gdb could not attach?)")
        }
    }
}
