import CrashwatchKit
public import Foundation
import SystemPackage

/// Searches a whole log file through its `SparseLineIndex`, block by block (each block is one `pread` of about a
/// thousand lines), forward or backward from a line: the `/`, `n`/`N`, `e`/`E` and `w`/`W` of lines no longer held in
/// memory.
///
/// A literal pattern (no regex metacharacters) is searched in the block's bytes at once, as grep does; a regex, and a
/// level, line by line.
public struct FileSearch: Sendable {
    /// What makes a line a match.
    public enum Query: Sendable {
        case text(TextPattern)
        /// Lines of these levels (continuation lines are not counted).
        case levels(Set<LogLevel>)
        /// The first line stamped at or after this time (`CivilTime` seconds); found by halving over the blocks.
        case time(Int64)
    }

    /// A `/` pattern, smart case: all lowercase ignores case.
    public struct TextPattern: Sendable {
        public let pattern: String
        /// The whole pattern, when it is a literal.
        let literal: [UInt8]?
        /// Texts one of which every match of the regex contains, to find candidate lines the fast way.
        let required: [[UInt8]]?
        let ignoresCase: Bool
        // NSRegularExpression is immutable and documented thread-safe, but not marked Sendable in corelibs-foundation.
        nonisolated(unsafe) let regex: NSRegularExpression
        /// The regex as an automaton over bytes, when its syntax allows: far faster than the engine, line by line.
        let automaton: LineAutomaton?

        public init(_ pattern: String) throws {
            self.pattern = pattern
            let ignoresCase = pattern == pattern.lowercased()
            self.ignoresCase = ignoresCase
            regex = try NSRegularExpression(pattern: pattern, options: ignoresCase ? [.caseInsensitive] : [])
            automaton = LineAutomaton(pattern: pattern, ignoringCase: ignoresCase)
            let special = Set("\\^$.|?*+()[]{}")
            let isLiteral = !pattern.isEmpty && pattern.allSatisfy { !special.contains($0) && $0.isASCII }
            literal = isLiteral ? Array((ignoresCase ? pattern.lowercased() : pattern).utf8) : nil
            required = Self.requiredLiterals(of: pattern)?.map { Array((ignoresCase ? $0.lowercased() : $0).utf8) }
        }

        /// Texts one of which every match contains: the required text of each branch of an alternation
        /// (`(deadlock|freeze)`, `Deadlock|World Thread hangs`), or the pattern's one required text; nil when a branch
        /// has none.
        static func requiredLiterals(of pattern: String) -> [String]? {
            let branches = Self.branches(of: pattern)
            guard branches.count > 1 else { return requiredLiteral(of: pattern).map { [$0] } }
            var literals: [String] = []
            for branch in branches {
                guard let literal = requiredLiteral(of: branch) else { return nil }
                literals.append(literal)
            }
            return literals
        }

        /// The top-level branches of `pattern` (one group around the whole pattern is looked into); the pattern itself
        /// when it has no alternation there.
        static func branches(of pattern: String) -> [String] {
            var body = Array(pattern)[...]
            // `(a|b)` or `(?:a|b)` around the whole pattern, with no quantifier after it.
            if body.first == "(", body.last == ")", Self.closingParen(of: body, from: body.startIndex) == body.count - 1
            {
                body = body.dropFirst().dropLast()
                if body.starts(with: ["?", ":"]) { body = body.dropFirst(2) }
            }
            var branches: [String] = []
            var current = "", depth = 0, inClass = false
            var characters = body
            while let character = characters.popFirst() {
                switch character {
                case "\\":
                    current.append(character)
                    if let next = characters.popFirst() { current.append(next) }
                    continue
                case "[" where !inClass: inClass = true
                case "]" where inClass: inClass = false
                case "(" where !inClass: depth += 1
                case ")" where !inClass: depth -= 1
                case "|" where !inClass && depth == 0:
                    branches.append(current)
                    current = ""
                    continue
                default: break
                }
                current.append(character)
            }
            branches.append(current)
            return branches
        }

        /// The index of the `)` closing the `(` at `start`, or nil.
        static func closingParen(of characters: ArraySlice<Character>, from start: Int) -> Int? {
            var depth = 0, inClass = false, escaped = false
            for index in characters.indices where index >= start {
                let character = characters[index]
                if escaped {
                    escaped = false
                    continue
                }
                switch character {
                case "\\": escaped = true
                case "[" where !inClass: inClass = true
                case "]" where inClass: inClass = false
                case "(" where !inClass: depth += 1
                case ")" where !inClass:
                    depth -= 1
                    if depth == 0 { return index }
                default: break
                }
            }
            return nil
        }

        /// The longest run of plain characters outside groups that every match must contain (`Player.*logged out` →
        /// `logged out`); nil for an alternation or when there is no such run of 3 or more.
        static func requiredLiteral(of pattern: String) -> String? {
            guard !pattern.contains("|") else { return nil }
            var best = "", run = "", depth = 0
            var characters = Array(pattern)[...]
            func endRun() {
                if depth == 0, run.count > best.count { best = run }
                run = ""
            }
            while let character = characters.popFirst() {
                switch character {
                case "\\":
                    endRun()
                    _ = characters.popFirst()
                case "[":
                    endRun()
                    while let next = characters.popFirst(), next != "]" {}
                case "(":
                    endRun()
                    depth += 1
                case ")":
                    endRun()
                    depth = max(0, depth - 1)
                case "?", "*", "{":
                    // The quantifier applies to the character before: it is not required.
                    if !run.isEmpty { run.removeLast() }
                    endRun()
                    // `{2,5}`: its counts are no text of the line.
                    if character == "{" { while let next = characters.popFirst(), next != "}" {} }
                case ".", "^", "$", "+":
                    endRun()
                default:
                    if character.isASCII { run.append(character) } else { endRun() }
                }
            }
            endRun()
            return best.count >= 3 ? best : nil
        }

        func matches(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
            if let decided = automaton?.matches(line) { return decided }
            return engineMatches(line)
        }

        func engineMatches(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
            let text = String(decoding: line, as: UTF8.self)
            return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
    }

    public enum Direction: Sendable { case forward, backward }

    public let index: SparseLineIndex
    public let reading: LineReading

    public init(index: SparseLineIndex, reading: LineReading = .standard) {
        self.index = index
        self.reading = reading
    }

    public struct Cancelled: Error {}

    /// The first matching line after `line` (forward) or before it (backward); nil when there is none.
    ///
    /// - Parameter shouldStop: called between blocks with the share of the way done; true stops with `Cancelled`.
    public func find(
        _ query: Query, after line: Int, direction: Direction, shouldStop: (Double) -> Bool = { _ in false }
    ) throws -> Int? {
        guard index.lineCount > 0, !index.offsets.isEmpty else { return nil }
        if case .time(let seconds) = query { return try firstLine(at: seconds) }
        let blockCount = index.offsets.count
        let startBlock = min(blockCount - 1, max(0, (line - 1) / index.stride))
        let blocks: [Int] =
            direction == .forward ? Array(startBlock..<blockCount) : Array((0...startBlock).reversed())
        let fd = try FileDescriptor.open(FilePath(index.path), .readOnly, options: [.closeOnExec])
        defer { try? fd.close() }
        var buffer: [UInt8] = []
        for (done, block) in blocks.enumerated() {
            if shouldStop(Double(done) / Double(blocks.count)) { throw Cancelled() }
            let found = try matchingLines(query, inBlock: block, fd: fd, buffer: &buffer)
            let hit = direction == .forward ? found.first { $0 > line } : found.last { $0 < line }
            if let hit { return hit }
        }
        return nil
    }

    /// The first line stamped at or after `seconds`; nil when no line is that late.
    ///
    /// The blocks are halved by the time of their first stamped line (a log's times only grow), then the block found
    /// is read line by line.
    func firstLine(at seconds: Int64) throws -> Int? {
        let fd = try FileDescriptor.open(FilePath(index.path), .readOnly, options: [.closeOnExec])
        defer { try? fd.close() }
        var buffer: [UInt8] = []
        func stamps(_ block: Int) throws -> [(line: Int, seconds: Int64)] {
            var found: [(Int, Int64)] = []
            var classifier = LineClassifier(reading: reading, firstNumber: block * index.stride + 1)
            let start = index.offsets[block]
            let end = block + 1 < index.offsets.count ? index.offsets[block + 1] : index.endOffset
            let size = Int(end - start)
            if buffer.count < size { buffer = [UInt8](repeating: 0, count: size) }
            let read = try buffer.withUnsafeMutableBytes {
                try fd.read(fromAbsoluteOffset: start, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<size]))
            }
            buffer.withUnsafeBufferPointer { all in
                _ = Self.lineMatches(in: UnsafeBufferPointer(rebasing: all[0..<read]), firstLine: 0) { line, number in
                    let classified = classifier.classify(RawLine(bytes: Array(line)))
                    if let time = classified.timestamp, !classified.isContinuation {
                        found.append((block * index.stride + 1 + number, time.secondsSinceEpoch))
                    }
                    return false
                }
            }
            return found
        }
        // The last block whose first stamped line is before the time.
        var low = 0
        var high = index.offsets.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if let first = try stamps(middle).first, first.seconds >= seconds {
                high = middle - 1
            } else {
                low = middle
            }
        }
        for block in low..<min(index.offsets.count, low + 2) {
            if let hit = try stamps(block).first(where: { $0.seconds >= seconds }) { return hit.line }
        }
        return nil
    }

    /// How many lines of the whole file match (what `grep -c` counts).
    public func countMatchingLines(_ query: Query) throws -> Int {
        let fd = try FileDescriptor.open(FilePath(index.path), .readOnly, options: [.closeOnExec])
        defer { try? fd.close() }
        var buffer: [UInt8] = []
        var count = 0
        for block in index.offsets.indices {
            count += try matchingLines(query, inBlock: block, fd: fd, buffer: &buffer).count
        }
        return count
    }

    /// The numbers of the matching lines of block `block`, in order.
    private func matchingLines(_ query: Query, inBlock block: Int, fd: FileDescriptor, buffer: inout [UInt8]) throws
        -> [Int]
    {
        let start = index.offsets[block]
        let end = block + 1 < index.offsets.count ? index.offsets[block + 1] : index.endOffset
        let size = Int(end - start)
        guard size > 0 else { return [] }
        if buffer.count < size { buffer = [UInt8](repeating: 0, count: size) }
        let read = try buffer.withUnsafeMutableBytes {
            try fd.read(fromAbsoluteOffset: start, into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<size]))
        }
        let firstLine = block * index.stride + 1
        return buffer.withUnsafeMutableBufferPointer { all -> [Int] in
            let bytes = UnsafeMutableBufferPointer(rebasing: all[0..<read])
            switch query {
            case .text(let pattern):
                if let literal = pattern.literal {
                    return Self.literalMatches(
                        literal, ignoringCase: pattern.ignoresCase, in: bytes, firstLine: firstLine
                    )
                    .map(\.line)
                }
                if let required = pattern.required {
                    // Only lines that hold a required text can match; the regex decides for those.
                    var candidates: [(line: Int, bytes: Range<Int>)] = []
                    for (number, literal) in required.enumerated() {
                        // The block is lowercased once, by the first search, when case is ignored.
                        candidates += Self.literalMatches(
                            literal, ignoringCase: pattern.ignoresCase && number == 0, in: bytes, firstLine: firstLine)
                    }
                    if required.count > 1 {
                        var seen = Set<Int>()
                        candidates = candidates.sorted { $0.line < $1.line }.filter { seen.insert($0.line).inserted }
                    }
                    return candidates.filter {
                        pattern.matches(UnsafeBufferPointer(rebasing: bytes[$0.bytes]))
                    }.map(\.line)
                }
                // No text to look for first: the automaton reads the whole block, or else the regex every line
                // (measured: handing ICU the whole block at once is slower still on Linux).
                if let automaton = pattern.automaton {
                    return automaton.matchingLines(in: UnsafeBufferPointer(bytes), firstLine: firstLine) {
                        pattern.engineMatches($0)
                    }
                }
                return Self.lineMatches(in: UnsafeBufferPointer(bytes), firstLine: firstLine) { line, _ in
                    pattern.matches(line)
                }
            case .time:
                return []
            case .levels(let levels):
                var classifier = LineClassifier(reading: reading, firstNumber: firstLine)
                return Self.lineMatches(in: UnsafeBufferPointer(bytes), firstLine: firstLine) { line, _ in
                    let classified = classifier.classify(RawLine(bytes: Array(line)))
                    return !classified.isContinuation && classified.level.map(levels.contains) == true
                }
            }
        }
    }

    /// Lines holding `literal`: the block searched as one text (lowercased first to ignore case), each hit's line
    /// numbered by the newlines before it.
    static func literalMatches(
        _ literal: [UInt8], ignoringCase: Bool, in bytes: UnsafeMutableBufferPointer<UInt8>, firstLine: Int
    ) -> [(line: Int, bytes: Range<Int>)] {
        if ignoringCase {
            // Branch-free, so that the compiler vectorises it.
            for index in bytes.indices {
                let byte = bytes[index]
                bytes[index] = byte | ((byte &- 0x41) < 26 ? 0x20 : 0)
            }
        }
        guard let base = bytes.baseAddress else { return [] }
        var lines: [(line: Int, bytes: Range<Int>)] = []
        var position = 0
        var line = firstLine
        var counted = 0  // newlines counted up to here
        literal.withUnsafeBytes { needle in
            while position < bytes.count {
                let rest = UnsafeRawBufferPointer(start: base + position, count: bytes.count - position)
                guard let found = ByteSearch.firstOffset(of: needle, in: rest) else { return }
                let hit = position + found
                while let newline = memchr(base + counted, 0x0A, hit - counted) {
                    counted = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
                    line += 1
                }
                let lineStart = counted
                counted = hit
                // On to the next line: one match per line.
                let lineEnd = memchr(base + hit, 0x0A, bytes.count - hit).map {
                    base.distance(to: $0.assumingMemoryBound(to: UInt8.self))
                }
                lines.append((line, lineStart..<(lineEnd ?? bytes.count)))
                guard let lineEnd else { return }
                position = lineEnd + 1
                counted = position
                line += 1
            }
        }
        return lines
    }

    static func lineMatches(
        in bytes: UnsafeBufferPointer<UInt8>, firstLine: Int,
        _ matches: (UnsafeBufferPointer<UInt8>, Int) -> Bool
    ) -> [Int] {
        guard let base = bytes.baseAddress else { return [] }
        var lines: [Int] = []
        var start = 0
        var line = firstLine
        while start < bytes.count {
            let newline = memchr(base + start, 0x0A, bytes.count - start).map {
                base.distance(to: $0.assumingMemoryBound(to: UInt8.self))
            }
            let end = newline ?? bytes.count
            if matches(UnsafeBufferPointer(start: base + start, count: end - start), line) { lines.append(line) }
            line += 1
            start = end + 1
        }
        return lines
    }
}
