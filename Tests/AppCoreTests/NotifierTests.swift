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

    private func receiver(_ body: String) throws -> String {
        let path = scratch.file("receiver-\(UUID().uuidString.prefix(6)).sh")
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
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
        let notifier = Notifier(
            command: try receiver("cat >> '\(log)'"), timeout: .seconds(10), interval: .milliseconds(600))
        #expect(await notifier.send(event(group: 1)) == .sent)
        #expect(await notifier.send(event(group: 1)) == .throttled)
        #expect(await notifier.send(event(group: 1)) == .throttled)
        // Another group is not held back by the first one's limit.
        #expect(await notifier.send(event(group: 2)) == .sent)
        try await Task.sleep(for: .milliseconds(700))
        #expect(await notifier.send(event(group: 1)) == .sent)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.last?.contains("\"suppressed\":2") == true, "\(lines.last ?? "")")
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
