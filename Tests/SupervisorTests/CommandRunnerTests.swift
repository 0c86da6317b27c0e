import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import Supervisor

/// Real short shell commands: exit codes, signals, output, time limits, kill escalation, freezes.
@Suite(.timeLimit(.minutes(1))) struct CommandRunnerTests {
    actor Lines {
        var all: [(String, Bool)] = []
        func add(_ line: String, _ isError: Bool) { all.append((line, isError)) }
    }

    @Test func exitCodeAndOutput() async throws {
        let outcome = try await CommandRunner().run(ProcessSpec(command: "echo one; echo two >&2; exit 3"))
        #expect(outcome.termination == .exited(3))
        #expect(outcome.lastLines.sorted() == ["one", "two"])
    }

    @Test func aCrashIsAResult() async throws {
        let outcome = try await CommandRunner().run(ProcessSpec(command: "echo booting; kill -SEGV $$"))
        #expect(outcome.termination == .signaled(11))
        #expect(outcome.termination.description == "killed by signal 11 (SIGSEGV)")
    }

    @Test func workingDirectoryAndEnvironment() async throws {
        let outcome = try await CommandRunner().run(
            ProcessSpec(command: "pwd; echo $CW_TEST", workingDirectory: "/tmp", environment: ["CW_TEST": "hello"]))
        #expect(outcome.lastLines == ["/tmp", "hello"])
        #expect(outcome.termination.isSuccess)
    }

    @Test func timeLimitStopsTheCommand() async throws {
        var runner = CommandRunner(timeout: .milliseconds(300))
        runner.stopGrace = .milliseconds(200)
        let outcome = try await runner.run(ProcessSpec(command: "sleep 30"))
        #expect(outcome.termination == .timedOut)
        // Stopped long before `sleep 30` would have ended; the bound is loose because two cores shared with the
        // other suites can delay the runner's polling by seconds.
        #expect(outcome.duration < .seconds(25))
    }

    @Test func aProcessThatIgnoresTermIsKilled() async throws {
        let lines = Lines()
        let process = try RunningProcess.start(
            ProcessSpec(command: "trap '' TERM; echo ready; while true; do sleep 1; done")
        ) { line, isError in
            Task { await lines.add(line, isError) }
        }
        let deadline = ContinuousClock.now + .seconds(5)
        while await lines.all.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        let ended = await process.stop(grace: .milliseconds(300))
        #expect(ended == .signaled(9), "TERM was ignored, so KILL ended it")
    }

    @Test func aFrozenProcessIsStopped() async throws {
        var runner = CommandRunner(timeout: .seconds(20), freezeAfter: .milliseconds(400))
        runner.stopGrace = .milliseconds(200)
        let outcome = try await runner.run(ProcessSpec(command: "echo started; sleep 30"))
        #expect(outcome.termination == .frozen)
        #expect(outcome.lastLines == ["started"])
    }

    @Test func aBusyQuietProcessIsNotFrozen() async throws {
        var runner = CommandRunner(timeout: .seconds(20), freezeAfter: .milliseconds(500))
        runner.stopGrace = .milliseconds(200)
        // Burns CPU for a second or two without printing, then exits: CPU progress means it is not frozen. The loop runs
        // inside the shell (no `date` child per turn), so the CPU it burns is the shell's own.
        let outcome = try await runner.run(
            ProcessSpec(command: "i=0; while [ $i -lt 1500000 ]; do i=$((i + 1)); done; echo done"))
        #expect(outcome.termination == .exited(0))
    }
}

@Suite struct PullRequestTests {
    @Test func aMissingGitHubCLIIsAMessage() async {
        let message = await PullRequest.openDraft(
            sourceRoot: "/tmp", title: "fix", body: "b", environment: ["PATH": "/nonexistent"])
        #expect(message.hasPrefix("gh (the GitHub CLI) is not installed"))
    }

    @Test func aFailingGitHubCLIIsReported() async throws {
        let binScratch = TemporaryDirectory("cw-fake-gh")
        let bin = binScratch.path
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        // Written by a child process: a descriptor open for writing in this process could be inherited by a process
        // another test forks meanwhile, and exec of the script would then fail with "Text file busy".
        let writer = Process()
        writer.executableURL = URL(fileURLWithPath: "/bin/sh")
        writer.arguments = [
            "-c",
            "printf '#!/bin/sh\\necho \\047not a git repository\\047 >&2\\nexit 1\\n' > \"$1/gh\" && chmod 755 \"$1/gh\"",
            "sh", bin,
        ]
        try writer.run()
        writer.waitUntilExit()
        let message = await PullRequest.openDraft(
            sourceRoot: "/tmp", title: "fix", body: "b", environment: ["PATH": "\(bin):/usr/bin:/bin"])
        #expect(message.hasPrefix("gh pr create failed (exited with code 1): not a git repository"))
    }
}

/// Nothing crashwatch starts outlives its run: the whole process group is stopped, not just the `sh -c` wrapper.
@Suite(.timeLimit(.minutes(1))) struct ProcessGroupTests {
    @Test func aServerThatIgnoresTermBehindTheShellWrapperIsKilled() async throws {
        let ready = LockBox(false)
        let process = try RunningProcess.start(
            ProcessSpec(command: "(trap '' TERM; echo ready; exec sleep 300) & wait")
        ) { line, _ in
            if line == "ready" { ready.withLock { $0 = true } }
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while !ready.value, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(!process.groupIsEmpty)
        await process.stop(grace: .milliseconds(300))
        #expect(process.groupIsEmpty, "the TERM-ignoring sleep was killed too, not left running")
    }

    @Test func childrenLeftBehindByAFinishedRunAreStopped() async throws {
        let scratch = TemporaryDirectory("cw-orphans")
        let pidFile = scratch.file("orphan.pid")
        var runner = CommandRunner(timeout: .seconds(20))
        runner.stopGrace = .milliseconds(300)
        let outcome = try await runner.run(
            ProcessSpec(command: "nohup sleep 300 >/dev/null 2>&1 & echo $! > '\(pidFile)'; echo started"))
        #expect(outcome.termination == .exited(0))
        let orphan = try #require(
            Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ProcessState.isGone("\(orphan)"), "the background sleep did not outlive the run")
    }

    @Test func aChildThatLeftTheProcessGroupIsStoppedToo() async throws {
        let scratch = TemporaryDirectory("cw-escaped")
        let pidFile = scratch.file("escaped.pid")
        var runner = CommandRunner(timeout: .seconds(20))
        runner.stopGrace = .milliseconds(300)
        // `setsid` puts the sleep in a session of its own: stopping the run's process group does not reach it, and the
        // wrapper exits at once, before any look at the group could see its child.
        let outcome = try await runner.run(
            ProcessSpec(command: "setsid sleep 300 >/dev/null 2>&1 & echo $! > '\(pidFile)'; echo started"))
        #expect(outcome.termination == .exited(0))
        let escaped = try #require(
            Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ProcessState.isGone("\(escaped)"), "the setsid sleep did not outlive the run")
    }
}
