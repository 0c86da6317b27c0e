import CrashwatchKit
import Foundation
import TestSupport
import Testing

/// The real `crashwatch` binary in a real terminal (tmux): start on a folder, append lines, use the keys, quit.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct DashboardEndToEndTests {
    let folder: URL
    let tmux = Tmux()

    let scratch = TemporaryDirectory("cw-e2e")

    init() throws {
        folder = scratch.url
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try write("Server.log", (1...5).map { "2025-10-31_11:14:3\($0) INFO  [server.loading] alpha-\($0) loaded" })
        try write("Playerbot.log", ["2025-10-31_11:14:30 Bot Aldor action: attack Hogger"])
    }

    /// The binary built beside this test bundle (`.build/<config>/crashwatch`).
    static func binary() throws -> String {
        let testBinary = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("crashwatch").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        throw BinaryMissing()
    }

    struct BinaryMissing: Error, CustomStringConvertible {
        var description: String { "crashwatch binary not found next to the tests; run `swift build` first" }
    }

    private func write(_ name: String, _ lines: [String]) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent(name))
    }

    private func append(_ name: String, _ lines: [String]) throws {
        let handle = try FileHandle(forWritingTo: folder.appendingPathComponent(name))
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// - Parameter terminal: the TERM crashwatch runs under; by default the pane's own (tmux's `default-terminal`).
    private func startDashboard(width: Int = 120, height: Int = 40, terminal: String? = nil) throws {
        let command =
            "\(terminal.map { "TERM=\($0) " } ?? "")'\(try Self.binary())' watch --logs '\(folder.path)'; echo crashwatch-exit=$?; sleep 600"
        try tmux.start(command, width: width, height: height)
    }

    /// The loop's fix preview in a real terminal: Esc is "decide later" (the loop waits, the bar says how to come
    /// back), L returns to the preview, A and y approve, and the loop goes on to the retest.
    @Test func escInTheLoopsPreviewThenReturnAndApprove() async throws {
        let home = scratch.url.appendingPathComponent("home").path
        let command =
            "HOME='\(home)' XDG_STATE_HOME='\(home)/state' '\(try Self.binary())' demo --simulated --crash-after 2 --mode semi --folder '\(folder.path)/demo'; echo crashwatch-exit=$?; sleep 600"
        try tmux.start(command, width: 160, height: 40)
        try await tmux.waitFor("Fix preview: SIGSEGV")
        try tmux.sendKeys("Escape")
        try await tmux.waitFor("L returns to the fix preview")
        try tmux.sendKeys("L")
        try await tmux.waitFor("the loop waits: A approve, R reject, Esc decide later")
        try tmux.sendKeys("A")
        try await tmux.waitFor("y to apply")
        try tmux.sendKeys("y", "Enter")
        try await tmux.waitFor("no longer crashes in the retest")
        try tmux.sendKeys("q")
        try await tmux.waitFor("crashwatch-exit=0")
    }

    /// A real click and wheel as an xterm sends them (SGR 1006 reports, which ncurses asks for with
    /// xterm-256color's `XM`), through tmux: the click focuses the warnings pane, the wheel scrolls the log pane
    /// back.
    ///
    /// A report is sent again when the first did not land: under load the pty may hand ncurses a report in two
    /// reads, further apart than its escape delay, as a slow link would — a user clicks again too.
    @Test func anXtermClickFocusesThePaneUnderItAndTheWheelScrolls() async throws {
        defer { tmux.kill() }
        try write("Server.log", (1...80).map { "2025-10-31_11:14:30 WARN  [misc] warning-\($0) seen" })
        // tmux sets a pane's TERM itself (`-e TERM=…` does not override it): the xterm is named in the command.
        try startDashboard(width: 160, height: 40, terminal: "xterm-256color")
        try await tmux.waitFor("warning-80 seen")
        func sendUntil(_ report: String, _ expected: String) async throws {
            for _ in 0..<3 {
                try tmux.sendKeys("-l", report)
                let deadline = ContinuousClock.now + .seconds(5)
                while ContinuousClock.now < deadline {
                    if try tmux.screen().contains(expected) { return }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            try await tmux.waitFor(expected, timeout: .seconds(1))
        }
        // Column 121, row 23 (1-based): the warnings pane, right side, lower half. Press, then release.
        try await sendUntil("\u{1b}[<0;121;23M\u{1b}[<0;121;23m", "▶4 Warnings")
        // The wheel over the log pane (left): it scrolls back, so the view stops following.
        try await sendUntil("\u{1b}[<64;20;10M\u{1b}[<64;20;10M\u{1b}[<64;20;10M", "SCROLL")
        try tmux.sendKeys("q")
        try await tmux.waitFor("crashwatch-exit=0")
    }

    @Test func aBrokenThemeIsSaidEvenWhenALogIsMissing() async throws {
        defer { tmux.kill() }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("Playerbot.log"))
        let theme = folder.appendingPathComponent("binary.toml")
        try Data([0x00, 0x01, 0xFF, 0xFE, 0x89, 0x50]).write(to: theme)
        let command =
            "'\(try Self.binary())' watch --logs '\(folder.path)' --theme '\(theme.path)'; echo crashwatch-exit=$?; sleep 600"
        try tmux.start(command, width: 160, height: 40)
        try await tmux.waitFor("alpha-5 loaded")
        try await tmux.waitFor("is not UTF-8 text; using the default theme")
        try tmux.sendKeys("q")
        try await tmux.waitFor("crashwatch-exit=0")
    }

    /// Starts the dashboard with its process id written to a file, for sending it signals.
    private func startDashboardRecordingPID() throws -> String {
        let pidFile = folder.appendingPathComponent("crashwatch.pid").path
        let command =
            "sh -c 'echo $$ > \"$0\"; exec \"$1\" watch --logs \"$2\"' '\(pidFile)' '\(try Self.binary())' '\(folder.path)';"
            + " echo crashwatch-exit=$?; sleep 600"
        try tmux.start(command, width: 120, height: 40)
        return pidFile
    }

    @Test(arguments: ["USR1", "USR2", "PIPE", "QUIT", "ALRM"])
    func everySignalThatEndsItRestoresTheTerminal(signal: String) async throws {
        defer { tmux.kill() }
        let pidFile = try startDashboardRecordingPID()
        try await tmux.waitFor("alpha-5 loaded")
        let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try Tmux.spawn("/bin/kill", ["kill", "-\(signal)", pid])
        if signal == "PIPE" {
            // Ignored: the dashboard keeps running and still answers keys.
            try append("Server.log", ["2025-10-31_11:15:09 INFO  [server] after the pipe signal"])
            try await tmux.waitFor("after the pipe signal")
            try tmux.sendKeys("q")
        }
        try await tmux.waitFor("crashwatch-exit=0")
        #expect(!(try tmux.screen().contains("FOLLOW")), "the dashboard's screen is gone: the terminal was restored")
    }

    @Test func ctrlBackslashQuitsCleanly() async throws {
        defer { tmux.kill() }
        try startDashboard()
        try await tmux.waitFor("alpha-5 loaded")
        try tmux.sendKeys("C-\\")
        try await tmux.waitFor("crashwatch-exit=0")
    }

    @Test func followPauseAndResume() async throws {
        defer { tmux.kill() }
        try startDashboard()
        try await tmux.waitFor("alpha-5 loaded")
        try await tmux.waitFor("FOLLOW")

        try append("Server.log", (1...3).map { "2025-10-31_11:15:0\($0) ERROR [spells] beta-\($0) arrived" })
        try await tmux.waitFor("beta-3 arrived")

        try tmux.sendKeys("=")
        try await tmux.waitFor("PAUSED +0")
        try append("Server.log", (1...3).map { "2025-10-31_11:16:0\($0) WARN  [maps] gamma-\($0) arrived" })
        // The title counts the held lines once they are read; the lines themselves must not scroll in.
        let paused = try await tmux.waitFor("the pause to hold 3 lines") { $0.contains("PAUSED +3") }
        #expect(!paused.contains("gamma-1"))
        #expect(paused.contains("beta-3 arrived"))

        try tmux.sendKeys("G")
        let resumed = try await tmux.waitFor("the held lines after G") { $0.contains("gamma-3 arrived") }
        #expect(resumed.contains("FOLLOW"))

        try tmux.sendKeys("q")
        try await tmux.waitFor("crashwatch-exit=0")
    }

    @Test func ctrlCRestoresTheTerminalAndExitsCleanly() async throws {
        defer { tmux.kill() }
        try startDashboard()
        try await tmux.waitFor("alpha-5 loaded")
        try tmux.sendKeys("C-c")
        let after = try await tmux.waitFor("the shell after Ctrl-C") { $0.contains("crashwatch-exit=0") }
        #expect(!after.contains("FOLLOW"), "the dashboard's screen is gone once the terminal is restored")
    }

    @Test func resizeDownToTinyAndBack() async throws {
        defer { tmux.kill() }
        try startDashboard(width: 100, height: 30)
        try await tmux.waitFor("alpha-5 loaded")
        try tmux.resize(width: 30, height: 6)
        try await tmux.waitFor("terminal too small")
        try tmux.resize(width: 100, height: 30)
        try await tmux.waitFor("alpha-5 loaded")
        try tmux.sendKeys("q")
        try await tmux.waitFor("crashwatch-exit=0")
    }

    @Test func wrongLogsFolderIsAClearError() async throws {
        defer { tmux.kill() }
        try tmux.start("'\(try Self.binary())' watch --logs /no/such/folder; echo crashwatch-exit=$?; sleep 600")
        try await tmux.waitFor("logs folder /no/such/folder does not exist")
        try await tmux.waitFor("crashwatch-exit=1")
    }
}

/// A crash report dropped into the watched folder shows up in the inbox of the running dashboard.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CrashInboxEndToEndTests {
    let folder: URL
    let tmux = Tmux()

    let scratch = TemporaryDirectory("cw-e2e-crash")

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
        #2  0x0000556d4926a000 in PlayerbotAI::UpdateAI (this=0x4, elapsed=50) at /src/modules/Playerbot/AI/PlayerbotAI.cpp:300

        """
    }

    /// Writes a gdb report of a crash in `function` into the crash folder and waits for the dashboard to say so.
    private func drop(_ function: String, line: Int, as name: String) async throws {
        try Data(report(function, line: line).utf8).write(to: folder.appendingPathComponent("Crashes/\(name)"))
        try await tmux.waitFor("new crash: SIGSEGV | \(function)")
    }

    @Test func theInboxListsTheHistorysCrashesAfterARestartWithTheirReadMarks() async throws {
        defer { tmux.kill() }
        try startTwice()
        try await tmux.waitFor("server up")
        try await drop("Unit::DealDamage", line: 812, as: "gdb-a.txt")
        try await drop("Unit::GetHealth", line: 90, as: "gdb-b.txt")
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

    @Test func aNewReportArrivesInTheInboxAndOpens() async throws {
        defer { tmux.kill() }
        let command =
            "'\(try DashboardEndToEndTests.binary())' watch --logs '\(folder.path)' --crashes '\(folder.path)/Crashes'"
            + " --history '\(folder.path)/history.sqlite'; echo crashwatch-exit=$?; sleep 600"
        try tmux.start(command)
        try await tmux.waitFor("server up")
        try await drop("Unit::DealDamage", line: 812, as: "gdb-2025-10-31-11-20-00.txt")
        try tmux.sendKeys("5")
        try await tmux.waitFor("NEW")
        try tmux.sendKeys("Enter")
        try await tmux.waitFor("unit-spellmod-dealdamage")
        try tmux.sendKeys("Escape")
        try tmux.sendKeys("q")
        try await tmux.waitFor("crashwatch-exit=0")
    }
}

/// A crash arrives, F shows the proposed fix, A and y apply it through git in the source tree.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct FixApprovalEndToEndTests {
    let folder: URL
    let tmux = Tmux()
    static let fixtureSource = Repository.path("Tests/FixEngineTests/Fixtures/src")

    let scratch = TemporaryDirectory("cw-e2e-fix")

    init() throws {
        folder = scratch.url
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("Crashes"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("tree"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Self.fixtureSource, toPath: folder.appendingPathComponent("tree/src").path)
        try Data("2025-10-31_11:14:30 INFO  [server.loading] server up\n".utf8).write(
            to: folder.appendingPathComponent("Server.log"))
        try git(["init", "-q", "-b", "main"])
        try git(["add", "."])
        try git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "tree"])
    }

    @discardableResult
    private func git(_ arguments: [String]) throws -> String {
        try Tmux.spawn("/usr/bin/git", ["git", "-C", folder.appendingPathComponent("tree").path] + arguments)
    }

    /// Starts the dashboard on the tree (`environment`: words before the command), drops a bot crash in
    /// `Unit::DealDamage` and opens its fix preview.
    private func openFixPreview(environment: String = "") async throws {
        let path = folder.path
        let command =
            "\(environment)'\(try DashboardEndToEndTests.binary())' watch --logs '\(path)' --crashes '\(path)/Crashes'"
            + " --history '\(path)/history.sqlite' --source '\(path)/tree'; echo crashwatch-exit=$?; sleep 600"
        try tmux.start(command)
        try await tmux.waitFor("server up")
        let report = """
            Program terminated with signal SIGSEGV, Segmentation fault.
            #0  0x0000556d48e636c6 in Unit::DealDamage (attacker=0x1, victim=0x2) at /src/server/game/Entities/Unit/Unit.cpp:16
            #1  0x0000556d49260b9e in World::ProcessDelayedDamages (this=0x3) at /src/server/game/World/World.cpp:2410
            #2  0x0000556d4926a000 in PlayerbotAI::UpdateAI (this=0x4, elapsed=50) at /src/modules/Playerbot/AI/PlayerbotAI.cpp:300

            """
        try Data(report.utf8).write(to: folder.appendingPathComponent("Crashes/gdb-2025-10-31-11-20-00.txt"))
        try await tmux.waitFor("new crash: SIGSEGV | Unit::DealDamage")
        try tmux.sendKeys("5")
        try await tmux.waitFor("NEW")
        try tmux.sendKeys("F")
        try await tmux.waitFor("bot-guard in Unit::DealDamage")
    }

    /// A then y: applied through git, then Esc and q leave the dashboard.
    private func approveAndQuit() async throws {
        try tmux.sendKeys("A")
        try await tmux.waitFor("y to apply")
        try tmux.sendKeys("y", "Enter")
        try await tmux.waitFor("applied on branch crashwatch/")
        #expect(try git(["rev-parse", "--abbrev-ref", "HEAD"]).hasPrefix("crashwatch/"))
        #expect(try git(["log", "-1", "--format=%B"]).contains("Crash signature: SIGSEGV | Unit::DealDamage"))
        try tmux.sendKeys("Escape")
        try tmux.sendKeys("q")
        try await tmux.waitFor("crashwatch-exit=0")
    }

    @Test func approveAFixWithTheKeys() async throws {
        defer { tmux.kill() }
        try await openFixPreview()
        try await approveAndQuit()
    }

    /// `e` hands the terminal to the user's editor (here a script that changes the patch), takes it back, checks the
    /// edited patch, and A applies what the user wrote.
    @Test func editThePatchInTheEditorThenApproveIt() async throws {
        defer { tmux.kill() }
        let editor = folder.appendingPathComponent("edit.sh").path
        try "#!/bin/sh\nsed -i 's/crashwatch: bot-guard for/crashwatch: bot-guard, edited by hand, for/' \"$1\"\n"
            .write(
                toFile: editor, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: editor)
        try await openFixPreview(environment: "VISUAL= EDITOR='\(editor)' ")
        try tmux.sendKeys("e")
        try await tmux.waitFor("your edit:")
        try await tmux.waitFor("edited: bot-guard in Unit::DealDamage")
        try await approveAndQuit()
        #expect(try git(["show", "HEAD"]).contains("crashwatch: bot-guard, edited by hand, for"))
        #expect(try git(["log", "-1", "--format=%B"]).contains("the patch was edited by you in your editor"))
    }
}

/// The demo's loop in the dashboard: the demo program (compiled for real) crashes, its core reaches the inbox through
/// gdb, the loop shows the fix, A and y approve it, the demo tree is patched and really rebuilt, and the retest
/// survives.
@Suite(.serialized, .timeLimit(.minutes(3)), .heavy)
struct DemoLoopEndToEndTests {
    let tmux = Tmux()

    @Test func crashInboxPreviewApproveRebuildSurvive() async throws {
        defer { tmux.kill() }
        let folderScratch = TemporaryDirectory("cw-e2e-demo")
        let folder = folderScratch.path
        try tmux.start(
            "'\(try DashboardEndToEndTests.binary())' demo --crash-after 3 --folder '\(folder)'; echo crashwatch-exit=$?; sleep 600",
            width: 150, height: 40)
        try await tmux.waitFor("bot-login-setup in World::LoginBot", timeout: .seconds(30))
        try tmux.sendKeys("A")
        try await tmux.waitFor("y to apply")
        try tmux.sendKeys("y", "Enter")
        try await tmux.waitFor(
            "loop: fixed: SIGSEGV | Unit::DealDamage no longer crashes in the retest", timeout: .seconds(60))
        try tmux.sendKeys("5")
        try await tmux.waitFor("SIGSEGV | Unit::DealDamage")
        let log = try Tmux.spawn("/usr/bin/git", ["git", "-C", "\(folder)/tree", "log", "-1", "--format=%s"])
        #expect(log.hasPrefix("crashwatch: bot-login-setup in World::LoginBot"), "\(log)")
        // The crash was the real program's: gdb's report of its core is what the inbox read.
        let reports = try FileManager.default.contentsOfDirectory(atPath: "\(folder)/Crashes")
        #expect(reports.contains { $0.hasPrefix("gdb-") && $0.hasSuffix(".txt") }, "\(reports)")
        try tmux.sendKeys("q")
        try await tmux.waitFor("crashwatch-exit=0")
    }
}
