public import CrashwatchKit
import Foundation

/// Runs the `notify` command for each event, with the event as JSON on its standard input: time-limited, at most one
/// per group or template every `interval`, one at a time in the background, so the dashboard never waits on it.
public actor Notifier {
    /// What became of one event.
    public enum Outcome: Sendable, Equatable {
        case sent
        /// Left out by the rate limit (it is counted in the next one that goes out).
        case throttled
        case failed(String)
    }

    public let command: String
    public let timeout: Duration
    public let interval: Duration
    /// The time the rate limit is measured in (a test moves it by hand).
    private let now: @Sendable () -> ContinuousClock.Instant
    private var lastSent: [String: ContinuousClock.Instant] = [:]
    private var suppressed: [String: Int] = [:]
    private var queue: Task<Void, Never>?

    public init(
        command: String, timeout: Duration, interval: Duration,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.command = command
        self.timeout = timeout
        self.interval = interval
        self.now = now
    }

    /// From `notify`, `notify-timeout` and `notify-interval`; nil without a `notify` command.
    public init?(settings: AppSettings) {
        guard let command = settings.notify, !command.isEmpty else { return nil }
        self.init(
            command: command, timeout: .seconds(settings.notifyTimeout), interval: .seconds(settings.notifyInterval))
    }

    /// Queues `event` and returns at once; `done` hears what became of it.
    public nonisolated func post(
        _ event: NotificationEvent, done: @escaping @Sendable (Outcome) async -> Void = { _ in }
    ) {
        Task { await self.enqueue(event, done: done) }
    }

    private func enqueue(_ event: NotificationEvent, done: @escaping @Sendable (Outcome) async -> Void) {
        let previous = queue
        queue = Task {
            _ = await previous?.value
            await done(await self.send(event))
        }
    }

    /// Sends `event` now (after the rate limit), waiting for the command.
    public func send(_ event: NotificationEvent) async -> Outcome {
        let key = event.key
        let now = now()
        if let last = lastSent[key], now - last < interval {
            suppressed[key, default: 0] += 1
            return .throttled
        }
        lastSent[key] = now
        var event = event
        event.suppressed = suppressed.removeValue(forKey: key) ?? 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload = (try? encoder.encode(event)) ?? Data()
        let command = command
        let timeout = timeout
        let completed = await BlockingWork.perform { () -> Result<ChildProcess.Completed, ChildProcess.LaunchError> in
            Result { () throws(ChildProcess.LaunchError) in
                try ChildProcess.run(["/bin/sh", "-c", command], input: payload + Data("\n".utf8), timeout: timeout)
            }
        }
        switch completed {
        case .failure(let error):
            return .failed("notify: \(error)")
        case .success(let run) where run.timedOut:
            return .failed("notify: `\(command)` took longer than \(timeout.components.seconds) s and was stopped")
        case .success(let run) where run.status != 0:
            let said = run.errorText.split(whereSeparator: \.isNewline).last.map { ": \($0)" } ?? ""
            return .failed("notify: `\(command)` failed (exit \(run.status))\(said)")
        case .success:
            return .sent
        }
    }
}
