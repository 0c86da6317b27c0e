public import DequeModule

/// The recent lines of one log, bounded: when full, the oldest lines are dropped.
///
/// Lines are addressed by their `LogLine.number`, which keeps counting across drops, so a view can hold on to a
/// position while lines come and go.
public struct LogBuffer: Sendable {
    public let capacity: Int
    private var lines: Deque<LogLine> = []
    /// Lines appended since the start, including those dropped since.
    public private(set) var totalLines = 0
    /// ERROR and FATAL lines seen since the start.
    public private(set) var errorCount = 0
    /// WARN lines seen since the start.
    public private(set) var warningCount = 0
    /// Lines whose level was inferred from wording, since the start.
    public private(set) var inferredLevelCount = 0

    public init(capacity: Int = 100_000) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    public var count: Int { lines.count }
    public var isEmpty: Bool { lines.isEmpty }

    /// Number of the oldest line still held (1 when nothing was dropped yet).
    public var firstNumber: Int { lines.first?.number ?? totalLines + 1 }
    /// Number of the newest line, or `firstNumber - 1` when empty.
    public var lastNumber: Int { lines.last?.number ?? totalLines }

    public mutating func append(_ line: LogLine) {
        if lines.count == capacity { lines.removeFirst() }
        lines.append(line)
        totalLines += 1
        tally(line)
    }

    private mutating func tally(_ line: LogLine) {
        guard let level = line.level, !line.isContinuation else { return }
        if level.isError { errorCount += 1 } else if level == .warn { warningCount += 1 }
        if line.levelIsInferred { inferredLevelCount += 1 }
    }

    public mutating func append(contentsOf newLines: some Sequence<LogLine>) {
        for line in newLines { append(line) }
    }

    /// Merges lines into the held ones by `key`, oldest first; a line that sorts before held ones is placed among
    /// them, and the lines after it are numbered again.
    ///
    /// Lines with equal keys keep their order of arrival (held lines first). Returns the first number that changed,
    /// or nil when nothing was added.
    @discardableResult
    public mutating func merge(_ newLines: [LogLine], by key: (LogLine) -> Int64) -> Int? {
        guard !newLines.isEmpty else { return nil }
        let incoming = newLines.enumerated().sorted {
            key($0.element) != key($1.element) ? key($0.element) < key($1.element) : $0.offset < $1.offset
        }.map(\.element)
        let earliest = key(incoming[0])
        // The held lines that sort after the earliest new one come off the end and are merged back.
        var displaced: [LogLine] = []
        while let last = lines.last, key(last) > earliest {
            displaced.append(last)
            lines.removeLast()
        }
        displaced.reverse()
        let firstChanged = displaced.first?.number ?? totalLines + 1
        var merged: [LogLine] = []
        merged.reserveCapacity(displaced.count + incoming.count)
        var held = displaced[...]
        var fresh = incoming[...]
        while let next = held.first, let other = fresh.first {
            if key(other) < key(next) {
                merged.append(other)
                fresh = fresh.dropFirst()
            } else {
                merged.append(next)
                held = held.dropFirst()
            }
        }
        merged += held
        merged += fresh
        totalLines -= displaced.count
        for var line in merged {
            line.number = totalLines + 1
            if lines.count == capacity { lines.removeFirst() }
            lines.append(line)
            totalLines += 1
        }
        for line in newLines { tally(line) }
        return firstChanged
    }

    /// The line with that number, if it is still held.
    public func line(numbered number: Int) -> LogLine? {
        guard let first = lines.first?.number else { return nil }
        let index = number - first
        guard index >= 0, index < lines.count else { return nil }
        return lines[index]
    }

    /// Lines held, oldest first.
    public var all: Deque<LogLine> { lines }
}
