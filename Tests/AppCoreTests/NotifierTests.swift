import AppCore
import CrashInbox
import CrashStore
import CrashwatchKit
import Foundation
import TestSupport
import Testing

/// The `notify` command, run for real with receiver scripts that take the event, fail, hang or are slow.
@Suite(.timeLimit(.minutes(2))) struct NotifierTests {
    let scratch = TemporaryDirectory("cw-notify")

    /// A receiver script, run through `sh`: executing a file just written can fail with "text file busy" while
    /// another test's fork still holds it open.
    private func receiver(_ body: String) throws -> String {
        let path = scratch.file("receiver-\(UUID().uuidString.prefix(6)).sh")
        try "\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return "sh '\(path)'"
    }

    private func event(group: Int64 = 7, kind: NotificationEvent.Kind = .newGroup) -> NotificationEvent {
        NotificationEvent(
            kind: kind, signature: "SIGSEGV | Unit::DealDamage", group: group,
            origin: HistoryOrigin(host: "live-host", realm: "2"), build: "b16fe0bb0a32", count: 1,
            summary: "realm 2: new crash: SIGSEGV | Unit::DealDamage")
    }

    @Test func theCommandReadsOneJSONEventOnItsInput() async throws {
        let received = scratch.file("received.json")
        let notifier = Notifier(
            command: "\(try receiver("cat > '\(received)'")) --flag", timeout: .seconds(10), interval: .seconds(0))
        #expect(await notifier.send(event()) == .sent)
        let data = try #require(FileManager.default.contents(atPath: received))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["kind"] as? String == "new-group")
        #expect(object["signature"] as? String == "SIGSEGV | Unit::DealDamage")
        #expect(object["group"] as? Int == 7)
        #expect(object["host"] as? String == "live-host" && object["realm"] as? String == "2")
        #expect(object["build"] as? String == "b16fe0bb0a32")
        #expect((object["summary"] as? String)?.hasPrefix("realm 2: new crash") == true)
    }

    @Test func aFailingAHungAndAMissingCommandAreEachSaid() async throws {
        let failing = Notifier(
            command: try receiver("echo 'webhook said 401' >&2; exit 3"), timeout: .seconds(10),
            interval: .seconds(0))
        #expect(
            await failing.send(event()) == .failed("notify: `\(failing.command)` failed (exit 3): webhook said 401"))
        let hung = Notifier(command: try receiver("sleep 300"), timeout: .seconds(1), interval: .seconds(0))
        guard case .failed(let why) = await hung.send(event()) else {
            Issue.record("a hung command is stopped")
            return
        }
        #expect(why.contains("took longer than 1 s and was stopped"))
        let missing = Notifier(command: scratch.file("no-such-command"), timeout: .seconds(5), interval: .seconds(0))
        guard case .failed(let absent) = await missing.send(event()) else {
            Issue.record("a missing command fails")
            return
        }
        #expect(absent.contains("exit 127"), "\(absent)")
    }

    @Test func oneGroupIsNotifiedAtMostOncePerIntervalAndTheNextSaysHowManyWereLeftOut() async throws {
        let log = scratch.file("log")
        // The rate limit's time, moved by hand: a loaded machine must not make the test's seconds pass.
        let start = ContinuousClock.now
        let elapsed = LockBox(Duration.zero)
        let notifier = Notifier(
            command: try receiver("cat >> '\(log)'"), timeout: .seconds(10), interval: .seconds(300),
            now: { start + elapsed.withLock { $0 } })
        #expect(await notifier.send(event(group: 1)) == .sent)
        #expect(await notifier.send(event(group: 1)) == .throttled)
        #expect(await notifier.send(event(group: 1)) == .throttled)
        // Another group is not held back by the first one's limit.
        #expect(await notifier.send(event(group: 2)) == .sent)
        elapsed.withLock { $0 = .seconds(299) }
        #expect(await notifier.send(event(group: 1)) == .throttled)
        elapsed.withLock { $0 = .seconds(301) }
        #expect(await notifier.send(event(group: 1)) == .sent)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.last?.contains("\"suppressed\":3") == true, "\(lines.last ?? "")")
    }

    @Test func postingNeverWaitsForASlowCommand() async throws {
        let done = scratch.file("done")
        let notifier = Notifier(
            command: try receiver("sleep 2; touch '\(done)'"), timeout: .seconds(10), interval: .seconds(0))
        let outcome = LockBox<Notifier.Outcome?>(nil)
        notifier.post(event()) { result in outcome.withLock { $0 = result } }
        // post returned while the command still sleeps: the dashboard goes on.
        #expect(!FileManager.default.fileExists(atPath: done))
        #expect(await waitUntil(timeout: .seconds(20)) { outcome.withLock { $0 } != nil })
        #expect(outcome.withLock { $0 } == .sent)
        #expect(FileManager.default.fileExists(atPath: done))
    }

    /// A webhook on this machine that keeps what it is sent and answers `status`.
    private func webhook(status: Int) throws -> (url: String, received: String, server: Process) {
        let received = scratch.file("webhook-\(status).json")
        let portFile = scratch.file("port-\(status)")
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = [
            "python3", "-c",
            """
            import http.server, sys
            class Hook(http.server.BaseHTTPRequestHandler):
                def do_POST(self):
                    body = self.rfile.read(int(self.headers['Content-Length']))
                    open(sys.argv[1], 'wb').write(body)
                    self.send_response(int(sys.argv[2])); self.end_headers()
                def log_message(self, *args): pass
            server = http.server.HTTPServer(('127.0.0.1', 0), Hook)
            open(sys.argv[3], 'w').write(str(server.server_address[1]))
            server.handle_request()
            """, received, String(status), portFile,
        ]
        try server.run()
        var port: String?
        for _ in 0..<200 where port == nil {
            usleep(20_000)
            port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { $0.isEmpty ? nil : $0 }
        }
        return ("http://127.0.0.1:\(port ?? "0")/api/webhooks/1/token", received, server)
    }

    /// The Discord example of Docs/notifications.md, run as documented against a webhook on this machine.
    @Test(.enabled(if: NotifierTests.hasWebhookTools, "needs curl, jq and python3"))
    func theDocumentedDiscordExamplePostsTheSummary() async throws {
        let script = Repository.path("Docs/examples/crash-to-discord")
        let hook = try webhook(status: 204)
        defer { hook.server.terminate() }
        let notifier = Notifier(
            command: "DISCORD_WEBHOOK=\(hook.url) '\(script)'", timeout: .seconds(20), interval: .seconds(0))
        #expect(await notifier.send(event()) == .sent)
        let body = try #require(FileManager.default.contents(atPath: hook.received))
        let message = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(message["content"] as? String == ":boom: realm 2: new crash: SIGSEGV | Unit::DealDamage")
        #expect(message["username"] as? String == "crashwatch")

        let refusing = try webhook(status: 401)
        defer { refusing.server.terminate() }
        let refused = Notifier(
            command: "DISCORD_WEBHOOK=\(refusing.url) '\(script)'", timeout: .seconds(20), interval: .seconds(0))
        guard case .failed(let why) = await refused.send(event()) else {
            Issue.record("a webhook that answers 401 is a failure")
            return
        }
        #expect(why.contains("401"), "\(why)")
    }

    static var hasWebhookTools: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true"
            || ["curl", "jq", "python3"].allSatisfy { tool in
                (try? ChildProcess.run(["sh", "-c", "command -v \(tool)"]))?.succeeded == true
            }
    }

    @Test func aNewGroupAndARegressionNotifyAndARepeatDoesNot() {
        let origin = HistoryOrigin(host: "live-host", realm: "2")
        var item = InboxItem(
            id: 1, path: "Crashes/a.txt", result: SampleCrash.result(function: "Map::Update", build: "b1"),
            outcome: .recorded(groupID: 3, lifecycle: .newGroup), groupCount: 1, time: 0, latency: 0)
        item.elsewhere = [HostSighting(host: "test-host", realm: "1", count: 14, firstSeen: 0, lastSeen: 0, builds: [])]
        let new = NotificationEvent.forCrash(item, origin: origin)
        #expect(new?.kind == .newGroup && new?.group == 3)
        #expect(new?.summary == "realm 2: new crash: SIGSEGV | Map::Update in build b1 (also on realm 1)")
        #expect(new?.elsewhere == ["realm 1": 14])
        item.outcome = .recorded(groupID: 3, lifecycle: .regressed)
        #expect(NotificationEvent.forCrash(item, origin: origin)?.kind == .regression)
        item.outcome = .recorded(groupID: 3, lifecycle: .repeated)
        #expect(NotificationEvent.forCrash(item, origin: origin) == nil)
    }
}
