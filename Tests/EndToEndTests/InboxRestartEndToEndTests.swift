import CrashwatchKit
import Foundation
import TestSupport
import Testing

/// Restarting crashwatch keeps the inbox: the crashes of the history are listed again, read or unread as left.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct InboxRestartEndToEndTests {
    let folder: URL
    let tmux = Tmux()
    let scratch = TemporaryDirectory("cw-e2e-restart")

    init() throws {
        folder = scratch.url
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("Crashes"), withIntermediateDirectories: true)
        try Data("2025-10-31_11:14:30 INFO  [server.loading] server up\n".utf8).write(
            to: folder.appendingPathComponent("Server.log"))
    }

    /// crashwatch, and once it quits, crashwatch again on the same folders: a restart.
    private func startTwice() throws {
        let run =
            "XDG_STATE_HOME='\(folder.path)/state' '\(try DashboardEndToEndTests.binary())' watch --logs '\(folder.path)'"
            + " --crashes '\(folder.path)/Crashes' --history '\(folder.path)/history.sqlite'"
        try tmux.start(
            "\(run); echo first-exit=$?; \(run); echo second-exit=$?; sleep 600", width: 160, height: 40)
    }

    private func report(_ function: String, line: Int) -> String {
        """
        Program terminated with signal SIGSEGV, Segmentation fault.
        #0  0x0000556d48e636c6 in \(function) (this=0x1) at /src/server/game/Entities/Unit/Unit.cpp:\(line)
        #1  0x0000556d49260b9e in World::ProcessDelayedDamages (this=0x2) at /src/server/game/World/World.cpp:2410

        """
    }

    @Test func theInboxListsTheHistorysCrashesAfterARestartWithTheirReadMarks() async throws {
        defer { tmux.kill() }
        try startTwice()
        try await tmux.waitFor("server up")
        try Data(report("Unit::DealDamage", line: 812).utf8).write(
            to: folder.appendingPathComponent("Crashes/gdb-a.txt"))
        try await tmux.waitFor("new crash: SIGSEGV | Unit::DealDamage")
        try Data(report("Unit::GetHealth", line: 90).utf8).write(to: folder.appendingPathComponent("Crashes/gdb-b.txt"))
        try await tmux.waitFor("new crash: SIGSEGV | Unit::GetHealth")
        try tmux.sendKeys("5")
        try await tmux.waitFor("2 unread")
        // The newest (GetHealth) is at the top: open it, so it is read.
        try tmux.sendKeys("Enter")
        try await tmux.waitFor("Unit::GetHealth")
        try tmux.sendKeys("Escape")
        try await tmux.waitFor("1 unread")
        try tmux.sendKeys("q")
        try await tmux.waitFor("the second run") { !$0.contains("1 unread") && $0.contains("server up") }
        try tmux.sendKeys("5")
        let screen = try await tmux.waitFor("the last session's crashes in the inbox") {
            $0.contains("2 reports") && $0.contains("1 unread")
        }
        let rows = screen.split(separator: "\n")
        #expect(rows.contains { $0.contains("● ") && $0.contains("Unit::Deal") }, "\(screen)")
        #expect(rows.contains { !$0.contains("●") && $0.contains("Unit::GetH") }, "\(screen)")
        try tmux.sendKeys("q")
        try await tmux.waitFor("second-exit=0")
    }
}
