import Foundation

/// Polls `condition` every few milliseconds until it holds or `timeout` passes; returns whether it held.
///
/// Tests wait with this instead of sleeping a fixed time, which is slow on fast machines and flaky on slow ones.
@discardableResult
public func waitUntil(
    timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(10),
    isolation: isolated (any Actor)? = #isolation, _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
