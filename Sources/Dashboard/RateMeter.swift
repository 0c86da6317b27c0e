/// Lines per second over the last few seconds, from counts recorded with their time.
public struct RateMeter: Sendable {
    public let window: Duration
    private var samples: [(at: ContinuousClock.Instant, count: Int)] = []

    public init(window: Duration = .seconds(5)) {
        self.window = window
    }

    public mutating func record(_ count: Int, at now: ContinuousClock.Instant) {
        guard count > 0 else { return }
        samples.append((now, count))
        trim(now)
    }

    /// Average lines per second over the window ending at `now`.
    public func perSecond(at now: ContinuousClock.Instant) -> Double {
        let recent = samples.filter { now - $0.at <= window }
        let total = recent.reduce(0) { $0 + $1.count }
        guard total > 0 else { return 0 }
        return Double(total) / window.seconds
    }

    private mutating func trim(_ now: ContinuousClock.Instant) {
        if let index = samples.firstIndex(where: { now - $0.at <= window }), index > 0 {
            samples.removeFirst(index)
        } else if let last = samples.last, now - last.at > window {
            samples.removeAll()
        }
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
