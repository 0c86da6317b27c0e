/// A labelled sample of unprefixed lines (`level<TAB>message` per line, `#` comments) and how well a `LineReading`
/// levels it: the share of error lines it calls errors, of warnings warnings, of the rest (info, debug) not a problem.
public struct LevelSample: Sendable {
    public struct Entry: Sendable {
        public var expected: LogLevel
        public var message: String
        /// Where the line came from (`file:line`).
        public var origin: String
    }

    /// The three classes the figure counts: a line is an error (ERROR, FATAL), a warning, or neither.
    public enum Kind: String, Sendable, CaseIterable {
        case error, warning, other

        public init(_ level: LogLevel?) {
            switch level {
            case .error?, .fatal?: self = .error
            case .warn?: self = .warning
            default: self = .other
            }
        }
    }

    public struct Score: Sendable {
        /// Lines per expected kind, and of them the ones the reading put in that kind.
        public var total: [Kind: Int] = [:]
        public var right: [Kind: Int] = [:]
        public var misses: [(entry: Entry, got: LogLevel?)] = []

        public func share(_ kind: Kind) -> Double {
            guard let count = total[kind], count > 0 else { return 1 }
            return Double(right[kind, default: 0]) / Double(count)
        }
    }

    public var entries: [Entry]

    public struct FormatError: Error, CustomStringConvertible {
        public var origin: String
        public var description: String { "\(origin): expected `level<TAB>message` (level one of error, warn, info)" }
    }

    public init(_ text: String, file: String) throws(FormatError) {
        entries = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let origin = "\(file):\(number + 1)"
            guard let tab = line.firstIndex(of: "\t"),
                let level = LogLevel(name: line[..<tab].uppercased())
            else { throw FormatError(origin: origin) }
            entries.append(Entry(expected: level, message: String(line[line.index(after: tab)...]), origin: origin))
        }
    }

    /// Levels every message as an unprefixed line read with `reading`.
    public func score(_ reading: LineReading) -> Score {
        var score = Score()
        for entry in entries {
            var classifier = LineClassifier(reading: reading)
            let got = classifier.classify(RawLine(bytes: Array(entry.message.utf8))).level
            let kind = Kind(entry.expected)
            score.total[kind, default: 0] += 1
            if Kind(got) == kind {
                score.right[kind, default: 0] += 1
            } else {
                score.misses.append((entry, got))
            }
        }
        return score
    }
}
