public import Testing

/// Tests that run a C++ compiler or gdb take turns (`@Suite(.heavy)`): on a 2-core CI machine, several of them at
/// once starve everything else — a 60 ms pause in a writer looked like the end of a file, a 0.5 s command took 24 s,
/// gdb attached to a frozen program ran past its minute — while one at a time leaves a core for the rest.
public struct HeavyTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // Only around a test case itself: a suite taking the turn and then its tests waiting for it would deadlock.
        guard testCase != nil else { return try await function() }
        await HeavyTurn.shared.acquire()
        do {
            try await function()
        } catch {
            await HeavyTurn.shared.release()
            throw error
        }
        await HeavyTurn.shared.release()
    }
}

extension Trait where Self == HeavyTrait {
    /// Runs one at a time with the other heavy tests (compilers, gdb).
    public static var heavy: Self { HeavyTrait() }
}

/// The turn heavy tests take, first come first served.
actor HeavyTurn {
    static let shared = HeavyTurn()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
