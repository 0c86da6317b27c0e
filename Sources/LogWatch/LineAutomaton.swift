import Foundation

/// A regex compiled to an automaton over a line's UTF-8 bytes, for the common regex syntax: literals, `.`, classes
/// (`[a-z]`, `[^…]`, `\d \w \s` and their capitals), groups, `|`, `* + ? {m,n}` (lazy or not) and `^ $`.
///
/// It answers only whether a line holds a match, which is all a search needs, and it does so in one pass over the bytes
/// with the sets of states cached as they are met (a lazily built DFA), the way grep does. A pattern outside that
/// syntax (back references, look-around, `\b`, inline flags, non-ASCII letters while ignoring case) is not compiled:
/// the regex engine reads those. `.` and a negated class take a whole UTF-8 character, as the regex engine does.
final class LineAutomaton: @unchecked Sendable {
    // MARK: - The automaton

    /// One NFA state: a byte range to the next state, a fork, an anchor, or the match.
    private enum State {
        case byte(ClosedRange<UInt8>, next: Int)
        case split(Int, Int)
        case lineStart(next: Int)
        case lineEnd(next: Int)
        case match
    }

    private var states: [State] = []
    /// Lines with non-ASCII bytes are not decided here (`matches` returns nil): see `Parser.needsASCII`.
    let needsASCII: Bool
    /// Lines that are not valid UTF-8 are not decided here: `.` and `[^…]` take a character, and the regex engine
    /// reads a broken sequence as one U+FFFD.
    let needsValidUTF8: Bool
    private var start = 0

    // The DFA built as the lines are read: a set of NFA states per DFA state, 256 transitions each (-1: not built).
    private var dfaSets: [[Int]] = []
    private var dfaAccepts: [Bool] = []
    /// A state that ends the line's reading: it matched, or nothing can match from it.
    private var decided: [Bool] = []
    private var dfaIndex: [[Int]: Int] = [:]
    private var transitions: [Int32] = []
    /// The DFA state at a line's start, and the states the search can be restarted from later in the line.
    private var startState = 0
    private var restart: [Int] = []
    private let lock = CacheLock()
    /// Beyond this many DFA states the cache is dropped and built again (a pattern like `(a|b)*a.{20}`).
    private static let dfaLimit = 4_096
    /// Set in a cached transition whose state decides the line (a match, or none possible).
    private static let decidedFlag: UInt32 = 0x4000_0000

    /// Nil when the pattern is outside the syntax compiled here (or not valid).
    init?(pattern: String, ignoringCase: Bool) {
        var parser = Parser(Array(pattern.utf8), ignoringCase: ignoringCase)
        guard let tree = parser.parseWhole() else { return nil }
        needsASCII = parser.needsASCII
        needsValidUTF8 = parser.takesAnyCharacter
        let accept = add(.match)
        start = compile(tree, next: accept)
        restart = closure([start], atStart: false)
        startState = dfaState(for: closure([start], atStart: true))
    }

    /// Whether the line (without its newline) holds a match; nil when the regex engine has to say (`needsASCII`).
    func matches(_ line: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard decides(line) else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return matchesHoldingLock(line)
    }

    /// Whether the automaton's answer for `line` is the regex engine's.
    private func decides(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard needsASCII || needsValidUTF8, !Self.isASCII(line) else { return true }
        return !needsASCII && Self.isValidUTF8(line)
    }

    private static func isValidUTF8(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var iterator = line.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    private static func isASCII(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for byte in line { high |= byte }
        return high < 0x80
    }

    /// The numbers of the lines of `bytes` (newline-separated; the first is `firstLine`) that hold a match;
    /// `undecided` answers for the lines the automaton leaves to the regex engine.
    func matchingLines(
        in bytes: UnsafeBufferPointer<UInt8>, firstLine: Int, undecided: (UnsafeBufferPointer<UInt8>) -> Bool
    ) -> [Int] {
        guard let base = bytes.baseAddress else { return [] }
        lock.lock()
        defer { lock.unlock() }
        var lines: [Int] = []
        var start = 0
        var line = firstLine
        while start < bytes.count {
            let end =
                memchr(base + start, 0x0A, bytes.count - start).map {
                    base.distance(to: $0.assumingMemoryBound(to: UInt8.self))
                } ?? bytes.count
            let text = UnsafeBufferPointer(start: base + start, count: end - start)
            if decides(text) ? matchesHoldingLock(text) : undecided(text) { lines.append(line) }
            line += 1
            start = end + 1
        }
        return lines
    }

    private func matchesHoldingLock(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var current = startState
        // `$` also matches before a line's final terminator (the `\r` of a CR LF file), as in the regex engine.
        let body = line.last.map { (0x0B...0x0D).contains($0) } == true ? line.count - 1 : line.count
        var offset = 0
        while offset < body {
            if dfaAccepts[current] { return true }
            if dfaSets[current].isEmpty { return false }
            // The hot loop: cached transitions only, until one is missing or the state decides.
            let (reached, stoppedAt) = transitions.withUnsafeBufferPointer { table -> (Int, Int) in
                var state = current
                var index = offset
                while index < body {
                    let entry = table[state &* 256 &+ Int(line[index])]
                    // Missing (negative) or leading to a decided state (the flag bit): out of the fast loop.
                    if UInt32(bitPattern: entry) >= Self.decidedFlag {
                        if entry >= 0 { return (Int(entry & ~Int32(Self.decidedFlag)), index &+ 1) }
                        return (state, index)
                    }
                    state = Int(entry)
                    index &+= 1
                }
                return (state, index)
            }
            current = reached
            offset = stoppedAt
            if decided[current] { continue }
            guard offset < body else { break }
            let slot = current * 256 + Int(line[offset])
            var next = Int(transitions[slot])
            if next < 0 {
                next = step(from: current, byte: line[offset])
                if dfaSets.count > Self.dfaLimit {
                    // Start again with an empty cache, from where the line is.
                    let set = dfaSets[next]
                    resetCache()
                    next = dfaState(for: set)
                } else {
                    transitions[slot] = Int32(next) | (decided[next] ? Int32(Self.decidedFlag) : 0)
                }
            }
            current = next
            offset += 1
        }
        if dfaAccepts[current] { return true }
        if body < line.count, endAccepts(dfaSets[current]) { return true }
        if body < line.count {
            // The final terminator is read like any byte.
            let next = step(from: current, byte: line[body])
            if dfaAccepts[next] { return true }
            return endAccepts(dfaSets[next])
        }
        return endAccepts(dfaSets[current])
    }

    private func resetCache() {
        dfaSets = []
        dfaAccepts = []
        decided = []
        dfaIndex = [:]
        transitions = []
        startState = dfaState(for: closure([start], atStart: true))
    }

    private func step(from dfa: Int, byte: UInt8) -> Int {
        var moved: [Int] = []
        for index in dfaSets[dfa] {
            if case .byte(let range, let next) = states[index], range.contains(byte) { moved.append(next) }
        }
        // The search is unanchored: a match may begin at any later position too.
        return dfaState(for: closure(moved, atStart: false) + restart)
    }

    /// The DFA state for a set of NFA states (in any order, repeats allowed), made when it is new.
    private func dfaState(for set: [Int]) -> Int {
        let key = Array(Set(set)).sorted()
        if let known = dfaIndex[key] { return known }
        let index = dfaSets.count
        dfaSets.append(key)
        let accepts = key.contains { if case .match = states[$0] { true } else { false } }
        dfaAccepts.append(accepts)
        decided.append(accepts || key.isEmpty)
        dfaIndex[key] = index
        transitions.append(contentsOf: repeatElement(-1, count: 256))
        return index
    }

    /// The states reachable without reading a byte; `^` passes only at the line's start, `$` is left for the end.
    private func closure(_ seeds: [Int], atStart: Bool) -> [Int] {
        var seen = Set<Int>()
        var stack = seeds
        var result: [Int] = []
        while let index = stack.popLast() {
            guard seen.insert(index).inserted else { continue }
            switch states[index] {
            case .split(let a, let b):
                stack.append(b)
                stack.append(a)
            case .lineStart(let next):
                if atStart { stack.append(next) }
            case .lineEnd:
                result.append(index)
            case .byte, .match:
                result.append(index)
            }
        }
        return result
    }

    /// At the line's end: whether the states left reach the match through `$` (and forks).
    private func endAccepts(_ set: [Int]) -> Bool {
        var seen = Set<Int>()
        var stack = set
        while let index = stack.popLast() {
            guard seen.insert(index).inserted else { continue }
            switch states[index] {
            case .match: return true
            case .lineEnd(let next): stack.append(next)
            case .split(let a, let b): stack += [a, b]
            case .lineStart, .byte: break
            }
        }
        return false
    }

    // MARK: - Compiling the tree

    private func add(_ state: State) -> Int {
        states.append(state)
        return states.count - 1
    }

    /// States for `node` that go on to `next`; returns the entry.
    private func compile(_ node: Node, next: Int) -> Int {
        switch node {
        case .empty:
            return next
        case .bytes(let sequences):
            // Alternatives, each a sequence of byte ranges (a UTF-8 character is several).
            let entries = sequences.map { sequence in
                sequence.reversed().reduce(next) { following, range in add(.byte(range, next: following)) }
            }
            return entries.dropFirst().reduce(entries[0]) { add(.split($0, $1)) }
        case .concat(let parts):
            return parts.reversed().reduce(next) { compile($1, next: $0) }
        case .alternation(let branches):
            let entries = branches.map { compile($0, next: next) }
            return entries.dropFirst().reduce(entries[0]) { add(.split($0, $1)) }
        case .lineStart:
            return add(.lineStart(next: next))
        case .lineEnd:
            return add(.lineEnd(next: next))
        case .repeated(let inner, let minimum, let maximum):
            var entry = next
            if let maximum {
                // Up to `maximum - minimum` optional copies, then the required ones before them.
                for _ in 0..<(maximum - minimum) {
                    let body = compile(inner, next: entry)
                    entry = add(.split(body, next))
                }
            } else {
                // A loop: the split goes into the body, whose end comes back to the split.
                let loop = add(.split(0, next))
                let body = compile(inner, next: loop)
                states[loop] = .split(body, next)
                entry = loop
            }
            for _ in 0..<minimum { entry = compile(inner, next: entry) }
            return entry
        }
    }

    // MARK: - Parsing

    indirect enum Node {
        case empty
        /// One character: alternatives of byte-range sequences.
        case bytes([[ClosedRange<UInt8>]])
        case concat([Node])
        case alternation([Node])
        case repeated(Node, minimum: Int, maximum: Int?)
        case lineStart, lineEnd
    }

    struct Parser {
        let bytes: [UInt8]
        let ignoringCase: Bool
        var position = 0
        /// Copies a counted repeat may make, in all: past this, the regex engine is the better tool.
        var budget = 2_000
        /// The automaton is exact only on ASCII lines: it has `.`, `\d`, `\w`, `\s` (or their negations), or folds
        /// case, where the regex engine knows other scripts.
        var needsASCII: Bool
        /// The pattern has `.` or a negated class, which take a whole character.
        var takesAnyCharacter = false

        init(_ bytes: [UInt8], ignoringCase: Bool) {
            self.bytes = bytes
            self.ignoringCase = ignoringCase
            // Folding case, only `k` and `s` have partners outside ASCII (the Kelvin sign, the long s).
            needsASCII = ignoringCase && bytes.contains { [0x4B, 0x53, 0x6B, 0x73].contains($0) }
        }

        mutating func parseWhole() -> Node? {
            guard let node = parseAlternation(), position == bytes.count else { return nil }
            return node
        }

        private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

        private mutating func parseAlternation() -> Node? {
            var branches: [Node] = []
            while true {
                guard let branch = parseConcat() else { return nil }
                branches.append(branch)
                guard peek == UInt8(ascii: "|") else { break }
                position += 1
            }
            return branches.count == 1 ? branches[0] : .alternation(branches)
        }

        private mutating func parseConcat() -> Node? {
            var parts: [Node] = []
            while let byte = peek, byte != UInt8(ascii: "|"), byte != UInt8(ascii: ")") {
                guard var atom = parseAtom() else { return nil }
                while let quantifier = peek, "*+?{".utf8.contains(quantifier) {
                    guard let repeated = parseQuantifier(atom) else { return nil }
                    atom = repeated
                }
                parts.append(atom)
            }
            return parts.isEmpty ? .empty : parts.count == 1 ? parts[0] : .concat(parts)
        }

        private mutating func parseQuantifier(_ atom: Node) -> Node? {
            if case .lineStart = atom { return nil }
            if case .lineEnd = atom { return nil }
            let byte = bytes[position]
            position += 1
            var minimum = 0
            var maximum: Int?
            switch byte {
            case UInt8(ascii: "*"): break
            case UInt8(ascii: "+"): minimum = 1
            case UInt8(ascii: "?"): maximum = 1
            default:
                guard let low = number() else { return nil }
                minimum = low
                maximum = low
                if peek == UInt8(ascii: ",") {
                    position += 1
                    maximum = number()
                }
                guard peek == UInt8(ascii: "}"), maximum.map({ $0 >= minimum }) ?? true else { return nil }
                position += 1
            }
            // Lazy or possessive: the same lines match.
            if peek == UInt8(ascii: "?") {
                position += 1
            } else if peek == UInt8(ascii: "+"), byte != UInt8(ascii: "{") {
                return nil
            }
            budget -= max(minimum, maximum ?? minimum + 1)
            guard budget >= 0 else { return nil }
            return .repeated(atom, minimum: minimum, maximum: maximum)
        }

        private mutating func number() -> Int? {
            let begin = position
            while let byte = peek, (0x30...0x39).contains(byte) { position += 1 }
            guard position > begin, position - begin < 5 else { return nil }
            return Int(String(decoding: bytes[begin..<position], as: UTF8.self))
        }

        private mutating func parseAtom() -> Node? {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "("):
                if peek == UInt8(ascii: "?") {
                    // Only `(?:`: every other `(?` is a flag or a look-around.
                    guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ":") else { return nil }
                    position += 2
                }
                guard let inner = parseAlternation(), peek == UInt8(ascii: ")") else { return nil }
                position += 1
                return inner
            // As in the regex engine, `.` takes no line terminator (a CR LF file's `\r` among them).
            case UInt8(ascii: "."):
                takesAnyCharacter = true
                return .bytes(Self.anyCharacter(except: [0x0A, 0x0B, 0x0C, 0x0D]))
            case UInt8(ascii: "^"): return .lineStart
            case UInt8(ascii: "$"): return .lineEnd
            case UInt8(ascii: "["): return parseClass()
            case UInt8(ascii: "\\"): return parseEscape()
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"), UInt8(ascii: "{"), UInt8(ascii: ")"),
                UInt8(ascii: "]"), UInt8(ascii: "}"):
                return nil
            default:
                if byte >= 0x80 {
                    // A literal UTF-8 character: its bytes in turn (folding case stops at ASCII).
                    guard !ignoringCase else { return nil }
                    var sequence: [ClosedRange<UInt8>] = [byte...byte]
                    while let next = peek, next & 0xC0 == 0x80 {
                        sequence.append(next...next)
                        position += 1
                    }
                    return .bytes([sequence])
                }
                return .bytes(literal(byte))
            }
        }

        private func literal(_ byte: UInt8) -> [[ClosedRange<UInt8>]] {
            let lower = byte | 0x20
            if ignoringCase, (0x61...0x7A).contains(lower) {
                return [[lower...lower], [(lower - 0x20)...(lower - 0x20)]]
            }
            return [[byte...byte]]
        }

        private mutating func parseEscape() -> Node? {
            guard let byte = peek else { return nil }
            position += 1
            if let set = Self.shorthand(byte) {
                needsASCII = true
                return .bytes(Self.character(in: set.ranges, negated: set.negated))
            }
            switch byte {
            case UInt8(ascii: "t"): return .bytes([[0x09...0x09]])
            case UInt8(ascii: "n"): return .bytes([[0x0A...0x0A]])
            case UInt8(ascii: "r"): return .bytes([[0x0D...0x0D]])
            default:
                // Only punctuation escapes itself; `\b`, `\1`, `\p{…}` and the like are not compiled here.
                guard byte < 0x80, !(0x30...0x39).contains(byte), !(0x41...0x5A).contains(byte),
                    !(0x61...0x7A).contains(byte)
                else { return nil }
                return .bytes([[byte...byte]])
            }
        }

        /// `\d \w \s` and their negations, in ASCII: the regex engine's take other scripts' digits, letters and
        /// spaces too, so a line with non-ASCII bytes is left to it (`needsASCII`).
        static let wordBytes: [ClosedRange<UInt8>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
        /// The regex engine's `\s` in ASCII: tab, newline, form feed, return, space (not the vertical tab).
        static let spaceBytes: [ClosedRange<UInt8>] = [0x09...0x0A, 0x0C...0x0D, 0x20...0x20]

        static func shorthand(_ byte: UInt8) -> (ranges: [ClosedRange<UInt8>], negated: Bool)? {
            switch byte {
            case UInt8(ascii: "d"): ([0x30...0x39], false)
            case UInt8(ascii: "D"): ([0x30...0x39], true)
            case UInt8(ascii: "w"): (wordBytes, false)
            case UInt8(ascii: "W"): (wordBytes, true)
            case UInt8(ascii: "s"): (spaceBytes, false)
            case UInt8(ascii: "S"): (spaceBytes, true)
            default: nil
            }
        }

        private mutating func parseClass() -> Node? {
            var negated = false
            if peek == UInt8(ascii: "^") {
                negated = true
                position += 1
            }
            var ranges: [ClosedRange<UInt8>] = []
            var first = true
            while let byte = peek, byte != UInt8(ascii: "]") || first {
                first = false
                position += 1
                var low = byte
                if byte == UInt8(ascii: "\\") {
                    guard let escaped = peek else { return nil }
                    position += 1
                    if let set = Self.shorthand(escaped), !set.negated {
                        needsASCII = true
                        ranges += set.ranges
                        continue
                    }
                    switch escaped {
                    case UInt8(ascii: "t"): low = 0x09
                    case UInt8(ascii: "n"): low = 0x0A
                    default:
                        guard escaped < 0x80, !(0x30...0x39).contains(escaped), !(0x41...0x5A).contains(escaped),
                            !(0x61...0x7A).contains(escaped)
                        else { return nil }
                        low = escaped
                    }
                } else if byte == UInt8(ascii: "[") || byte >= 0x80 {
                    // POSIX classes, nested sets and non-ASCII members: the regex engine's.
                    return nil
                }
                var high = low
                if peek == UInt8(ascii: "-"), position + 1 < bytes.count, bytes[position + 1] != UInt8(ascii: "]") {
                    position += 1
                    guard let end = peek, end != UInt8(ascii: "\\"), end != UInt8(ascii: "["), end < 0x80, end >= low
                    else { return nil }
                    position += 1
                    high = end
                }
                ranges.append(low...high)
                if ignoringCase {
                    // The other case of the letters in the range.
                    for letter in low...high where (0x41...0x5A).contains(letter) || (0x61...0x7A).contains(letter) {
                        let other = letter ^ 0x20
                        ranges.append(other...other)
                    }
                }
            }
            guard peek == UInt8(ascii: "]") else { return nil }
            position += 1
            if negated { takesAnyCharacter = true }
            return .bytes(Self.character(in: ranges, negated: negated))
        }

        /// One character in `ranges` (ASCII), or, negated, any character but those and the newline.
        static func character(in ranges: [ClosedRange<UInt8>], negated: Bool) -> [[ClosedRange<UInt8>]] {
            guard negated else { return ranges.map { [$0] } }
            return anyCharacter(except: Set(ranges.flatMap { Array($0) } + [0x0A]))
        }

        /// Any character but the ASCII bytes in `excluded`: an ASCII byte, or a whole UTF-8 sequence (lines that are
        /// not valid UTF-8 are left to the regex engine).
        static func anyCharacter(except excluded: Set<UInt8>) -> [[ClosedRange<UInt8>]] {
            var ascii: [[ClosedRange<UInt8>]] = []
            var low: UInt8?
            for byte in UInt8(0)...0x7F {
                if excluded.contains(byte) {
                    if let start = low { ascii.append([start...(byte - 1)]) }
                    low = nil
                } else if low == nil {
                    low = byte
                }
            }
            if let start = low { ascii.append([start...0x7F]) }
            let continuation: ClosedRange<UInt8> = 0x80...0xBF
            let many: [[ClosedRange<UInt8>]] = [
                [0xF0...0xF4, continuation, continuation, continuation], [0xE0...0xE1, continuation, continuation],
                [0xE3...0xEF, continuation, continuation], [0xE2...0xE2, 0x81...0xBF, continuation],
                [0xC3...0xDF, continuation],
            ]
            guard excluded.contains(0x0D) else {
                return ascii + many + [[0xC2...0xC2, continuation], [0xE2...0xE2, 0x80...0x80, continuation]]
            }
            // `.`: no line terminator, U+0085, U+2028 and U+2029 among them.
            return ascii + many + [
                [0xC2...0xC2, 0x80...0x84], [0xC2...0xC2, 0x86...0xBF], [0xE2...0xE2, 0x80...0x80, 0x80...0xA7],
                [0xE2...0xE2, 0x80...0x80, 0xAA...0xBF],
            ]
        }
    }
}

/// A plain mutex for the automaton's cache (searches of one pattern run one at a time, but nothing says so).
private final class CacheLock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    func lock() { pthread_mutex_lock(&mutex) }
    func unlock() { pthread_mutex_unlock(&mutex) }
}
