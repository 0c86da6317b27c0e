import CrashwatchKit
public import SystemPackage

/// A followed log file as an `AsyncSequence` of batches: new classified lines and file events.
///
/// While lines come, the file is polled every `interval` (and again at once while a backlog remains), so a chatty
/// server costs one batch per poll rather than one wake-up per line; while it is quiet, the tail sleeps on inotify
/// (polling once a second as a safety net, or every `interval` where inotify is not available). The sequence ends when the consuming task is cancelled.
public struct LogTail: AsyncSequence, Sendable {
    public typealias Element = LogBatch

    public let path: FilePath
    public let interval: Duration
    public let startPosition: FileFollower.StartPosition
    public let reading: LineReading

    public init(
        path: FilePath, interval: Duration = .milliseconds(50),
        startAt startPosition: FileFollower.StartPosition = .beginning, reading: LineReading = .standard
    ) {
        self.reading = reading
        self.path = path
        self.interval = interval
        self.startPosition = startPosition
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(tail: self)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        private let follower: FileFollower
        private var classifier: LineClassifier
        private let interval: Duration
        private var hasBacklog = false
        private var isFirstPoll = true
        private var isCatchingUp = true
        /// The file's folder under inotify: a quiet log is not polled at all, the kernel wakes the tail.
        private let inotify: InotifyWatch?
        private var lastPollFoundLines = false

        init(tail: LogTail) {
            follower = FileFollower(path: tail.path, startAt: tail.startPosition)
            classifier = LineClassifier(reading: tail.reading)
            interval = tail.interval
            inotify = InotifyWatch(folders: [tail.path.removingLastComponent().string])
        }

        public mutating func next() async -> LogBatch? {
            while !Task.isCancelled {
                if !isFirstPoll && !hasBacklog {
                    if let inotify, !lastPollFoundLines {
                        // Idle: sleep until the folder changes; a poll a second still catches what inotify misses.
                        _ = await inotify.waitForChange(timeout: .seconds(1))
                        _ = inotify.drain()
                    } else {
                        // Lines are coming: poll at the interval, so that a busy log is read in batches.
                        do { try await Task.sleep(for: interval) } catch { return nil }
                    }
                }
                isFirstPoll = false
                let update = follower.poll()
                hasBacklog = update.hasMore
                lastPollFoundLines = !update.lines.isEmpty
                let isBacklog = isCatchingUp
                isCatchingUp = update.hasMore
                guard !update.lines.isEmpty || !update.events.isEmpty else { continue }
                var batch = LogBatch(events: update.events, isBacklog: isBacklog)
                batch.lines.reserveCapacity(update.lines.count)
                for raw in update.lines { batch.lines.append(classifier.classify(raw)) }
                return batch
            }
            return nil
        }
    }
}
