public import CrashwatchKit
import Foundation

/// The level of an unprefixed line from the shape of its message, read from `Rules/levels*.txt`: one
/// `level | shape | example` per line, where the shape is a server's own format string with each placeholder as `{}`
/// (`{{` and `}}` for literal braces), as `Scripts/levels-from-source.py` writes them from TrinityCore's and
/// AzerothCore's log calls.
///
/// A message has a shape when it is the shape's text with anything in the holes (the whole message, blanks around it
/// aside). When several shapes fit, the one with the most fixed text wins, and of equal ones the rule read last (the
/// user's over the shipped). Lookup is by word: each rule is filed under the longest whole word of its fixed text, so
/// a line is compared only with the rules of the words it contains.
public struct LevelRules: Sendable {
    public struct Rule: Sendable {
        public var level: LogLevel
        public var shape: String
        public var example: String
        /// Where the rule was read (`file:line`).
        public var origin: String
        /// The fixed text between the holes (never empty pieces).
        var pieces: [[UInt8]]
        var startsWithHole: Bool
        var endsWithHole: Bool
        var fixedLength: Int
    }

    public private(set) var rules: [Rule] = []
    private var byWord: [UInt64: [Int]] = [:]
    private var shapesSeen: Set<String> = []
    /// Rules without a whole word in their fixed text, compared with every line.
    private var unfiled: [Int] = []

    public init() {}

    public var count: Int { rules.count }

    /// Adds the rules of one file.
    public mutating func add(_ text: String, file: String) throws(RuleFileError) {
        let ruleFile = RuleFile(text, path: file)
        for line in ruleFile.lines {
            let fields = line.text.split(separator: " | ", maxSplits: 1, omittingEmptySubsequences: false)
            guard fields.count == 2, let exampleStart = fields[1].range(of: " | ", options: .backwards) else {
                throw ruleFile.error(at: line, "expected `level | shape | example`")
            }
            let levelName = fields[0].trimmingCharacters(in: .whitespaces)
            guard let level = LogLevel.allCases.first(where: { $0.description.lowercased() == levelName.lowercased() })
            else {
                throw ruleFile.error(
                    at: line,
                    "unknown level \(levelName) (one of \(LogLevel.allCases.map { $0.description.lowercased() }.joined(separator: ", ")))"
                )
            }
            let shape = String(fields[1][..<exampleStart.lowerBound]).trimmingCharacters(in: .whitespaces)
            let example = String(fields[1][exampleStart.upperBound...]).trimmingCharacters(in: .whitespaces)
            let rule: Rule
            do {
                rule = try Self.rule(level: level, shape: shape, example: example, origin: "\(file):\(line.number)")
            } catch {
                throw ruleFile.error(at: line, error.problem)
            }
            add(rule)
        }
    }

    /// The level of `message` from the best-fitting shape, with that rule; nil when no shape fits.
    public func match(_ message: Substring) -> (level: LogLevel, rule: Rule)? {
        guard !rules.isEmpty else { return nil }
        var message = message
        if let first = message.utf8.first, let last = message.utf8.last,
            first == UInt8(ascii: " ") || first == 9 || last == UInt8(ascii: " ") || last == 9
        {
            message = message.trimmingBlanks
        }
        var best: Int?
        func consider(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) {
            let rule = rules[index]
            if let current = best, rules[current].fixedLength > rule.fixedLength { return }
            if let current = best, rules[current].fixedLength == rule.fixedLength, current > index { return }
            if Self.fits(rule, bytes) { best = index }
        }
        let scan: (UnsafeBufferPointer<UInt8>) -> Void = { bytes in
            for index in unfiled { consider(index, bytes) }
            var start = -1
            for position in 0...bytes.count {
                let isWord = position < bytes.count && Self.isWordByte(bytes[position])
                if isWord {
                    if start < 0 { start = position }
                } else if start >= 0 {
                    if let candidates = byWord[Self.hash(bytes, start..<position)] {
                        for index in candidates { consider(index, bytes) }
                    }
                    start = -1
                }
            }
        }
        if message.utf8.withContiguousStorageIfAvailable(scan) == nil {
            Array(message.utf8).withUnsafeBufferPointer(scan)
        }
        return best.map { (rules[$0].level, rules[$0]) }
    }

    // MARK: - Building

    struct ShapeError: Error {
        var problem: String
    }

    static func rule(level: LogLevel, shape: String, example: String, origin: String) throws(ShapeError) -> Rule {
        guard !shape.isEmpty else { throw ShapeError(problem: "the shape is empty") }
        var segments: [[UInt8]] = [[]]
        var bytes = Array(shape.utf8)[...]
        while let byte = bytes.popFirst() {
            let next = bytes.first
            if byte == UInt8(ascii: "{"), next == UInt8(ascii: "}") {
                bytes.removeFirst()
                segments.append([])
            } else if (byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}")), next == byte {
                bytes.removeFirst()
                segments[segments.count - 1].append(byte)
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "}") {
                throw ShapeError(
                    problem: "a lone `\(Character(Unicode.Scalar(byte)))` (holes are `{}`, braces `{{` `}}`)")
            } else {
                segments[segments.count - 1].append(byte)
            }
        }
        let pieces = segments.filter { !$0.isEmpty }
        guard !pieces.isEmpty else { throw ShapeError(problem: "the shape has no fixed text") }
        var rule = Rule(
            level: level, shape: shape, example: example, origin: origin, pieces: pieces,
            startsWithHole: segments.first!.isEmpty, endsWithHole: segments.last!.isEmpty,
            fixedLength: pieces.reduce(0) { $0 + $1.count })
        guard !example.isEmpty else { throw ShapeError(problem: "the rule has no example") }
        let fitsExample = Array(example.utf8).withUnsafeBufferPointer { fits(rule, $0) }
        guard fitsExample else { throw ShapeError(problem: "the example does not have the shape") }
        rule.fixedLength = pieces.reduce(0) { $0 + $1.count }
        return rule
    }

    private mutating func add(_ rule: Rule) {
        // The same message at the same level in two servers' files (TrinityCore and AzerothCore share most of theirs)
        // is one rule: a line would only be tried against it twice.
        guard shapesSeen.insert("\(rule.level) \(rule.shape)").inserted else { return }
        let index = rules.count
        rules.append(rule)
        if let word = Self.longestWholeWord(rule) {
            byWord[word, default: []].append(index)
        } else {
            unfiled.append(index)
        }
    }

    /// The hash of the longest word of the fixed text that is whole in every line of the shape: bounded by non-word
    /// bytes in its piece, or by the start or end of the message.
    private static func longestWholeWord(_ rule: Rule) -> UInt64? {
        var best: (length: Int, hash: UInt64)?
        for (number, piece) in rule.pieces.enumerated() {
            let leftIsEdge = number == 0 && !rule.startsWithHole
            let rightIsEdge = number == rule.pieces.count - 1 && !rule.endsWithHole
            piece.withUnsafeBufferPointer { bytes in
                var start = -1
                for position in 0...bytes.count {
                    let isWord = position < bytes.count && isWordByte(bytes[position])
                    if isWord {
                        if start < 0 { start = position }
                        continue
                    }
                    defer { start = -1 }
                    guard start >= 0 else { continue }
                    let wholeLeft = start > 0 || leftIsEdge
                    let wholeRight = position < bytes.count || rightIsEdge
                    guard wholeLeft, wholeRight, position - start > (best?.length ?? 0) else { continue }
                    best = (position - start, hash(bytes, start..<position))
                }
            }
        }
        return best?.hash
    }

    // MARK: - Matching

    static func fits(_ rule: Rule, _ message: UnsafeBufferPointer<UInt8>) -> Bool {
        var position = 0
        var end = message.count
        var pieces = rule.pieces[...]
        if !rule.startsWithHole {
            guard let first = pieces.popFirst(), hasPiece(first, in: message, at: 0) else { return false }
            position = first.count
            if pieces.isEmpty { return rule.endsWithHole || position == message.count }
        }
        if !rule.endsWithHole {
            guard let last = pieces.popLast() else { return false }
            end = message.count - last.count
            guard end >= position, hasPiece(last, in: message, at: end) else { return false }
        }
        for piece in pieces {
            guard let found = find(piece, in: message, from: position, before: end) else { return false }
            position = found + piece.count
        }
        return true
    }

    private static func hasPiece(_ piece: [UInt8], in message: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard offset >= 0, offset + piece.count <= message.count else { return false }
        for index in 0..<piece.count where message[offset + index] != piece[index] { return false }
        return true
    }

    private static func find(_ piece: [UInt8], in message: UnsafeBufferPointer<UInt8>, from start: Int, before end: Int)
        -> Int?
    {
        guard let first = piece.first, end - start >= piece.count else { return nil }
        var offset = start
        while offset + piece.count <= end {
            if message[offset] == first, hasPiece(piece, in: message, at: offset) { return offset }
            offset += 1
        }
        return nil
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), 0x80...:
            true
        default: false
        }
    }

    /// FNV-1a; a collision only costs one comparison more.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in range {
            value ^= UInt64(bytes[index])
            value &*= 0x100_0000_01b3
        }
        return value
    }
}

extension Substring {
    /// Without spaces and tabs at either end.
    fileprivate var trimmingBlanks: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
