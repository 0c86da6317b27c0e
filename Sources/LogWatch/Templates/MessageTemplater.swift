import Foundation

/// Turns a message into its template by masking the variable parts, in one pass over the bytes:
/// `Spell 83470 [EffectIndex: 0] does not have triggered spell` → `Spell <n> [EffectIndex: <n>] does not have triggered spell`.
///
/// What is masked comes from `MaskingRules`. Runs once per WARN/ERROR line, so it avoids regexes unless a user rule
/// asks for one.
public struct MessageTemplater: Sendable {
    public let rules: MaskingRules
    private let contexts: [[UInt8]]

    public init(rules: MaskingRules) {
        self.rules = rules
        contexts = rules.nameContexts.map { Array($0.utf8) }
    }

    public func template(_ message: Substring) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(message.utf8.count)
        var maskNextWord = false
        message.utf8.withContiguousStorageIfAvailable { bytes in
            scan(bytes, into: &out, maskNextWord: &maskNextWord)
        }
            ?? {
                let copy = Array(message.utf8)
                copy.withUnsafeBufferPointer { scan($0, into: &out, maskNextWord: &maskNextWord) }
            }()
        var result = String(decoding: out, as: UTF8.self)
        for (regex, replacement) in rules.regexes {
            result = regex.stringByReplacingMatches(
                in: result, range: NSRange(result.startIndex..., in: result), withTemplate: replacement)
        }
        return result
    }

    public func template(_ message: String) -> String { template(message[...]) }

    // MARK: - The pass

    private static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    private static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20) &- 0x61 < 6 }
    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 || b >= 0x80 }
    private static func isWordByte(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) || b == 0x5F }

    private func scan(_ b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], maskNextWord: inout Bool) {
        let n = b.count
        var i = 0
        while i < n {
            let c = b[i]
            // `EFFECT_0`: a number after an underscore is a value too.
            let atBoundary = i == 0 || !Self.isWordByte(b[i - 1]) || (b[i - 1] == 0x5F && Self.isDigit(c))
            if atBoundary {
                if rules.masksQuoted, c == 0x27 || c == 0x22, let end = closingQuote(b, from: i) {
                    out.append(c)
                    out += Array("<str>".utf8)
                    out.append(c)
                    i = end + 1
                    continue
                }
                if maskNextWord, Self.looksLikeName(b, at: i) {
                    var j = i
                    while j < n, Self.isWordByte(b[j]) || b[j] == 0x2D { j += 1 }
                    out += Array("<name>".utf8)
                    maskNextWord = false
                    i = j
                    continue
                }
                if let (end, token) = variableToken(b, at: i) {
                    out += token
                    maskNextWord = false
                    i = end
                    continue
                }
                if Self.isLetter(c) || c == 0x5B {
                    // A whole word: copy it, and note whether it announces a name.
                    var j = i
                    while j < n, !(b[j] == 0x20 || b[j] == 0x2C || b[j] == 0x28 || b[j] == 0x29) { j += 1 }
                    let word = UnsafeBufferPointer(rebasing: b[i..<j])
                    let hasDigit = word.contains(where: Self.isDigit)
                    if !hasDigit || !(rules.masksNumbers || rules.masksHex) {
                        out += word
                        let bare =
                            word.first == 0x5B || word.first == 0x28
                            ? UnsafeBufferPointer(rebasing: word.dropFirst()) : word
                        maskNextWord = contexts.contains { $0.elementsEqual(bare) }
                        i = j
                        continue
                    }
                    // Words with digits inside (`EFFECT_0`, `bp1`) go through character by character below.
                }
            }
            if c == 0x20 || c == 0x3A {
                out.append(c)
                i += 1
                continue
            }
            out.append(c)
            if Self.isWordByte(c) { maskNextWord = false }
            i += 1
        }
    }

    /// Names are capitalised words (`Aldor`, `Jaina`), not all-capitals ones (`GUID`, `ERROR`).
    private static func looksLikeName(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard b[i] &- 0x41 < 26 else { return b[i] >= 0x80 }
        var j = i + 1
        while j < b.count, isWordByte(b[j]) {
            if b[j] &- 0x61 < 26 || b[j] >= 0x80 { return true }
            j += 1
        }
        return false
    }

    private func closingQuote(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var j = start + 1
        while j < b.count, j - start <= 120 {
            if b[j] == b[start] { return j > start + 1 ? j : nil }
            j += 1
        }
        return nil
    }

    /// A masked token starting at `i` (which is at a word boundary): GUID, IP, hex or number.
    private func variableToken(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (Int, [UInt8])? {
        let n = b.count
        let c = b[i]
        // `Player-1-00000007`, `Creature-0-3020-0-…`: letters, then `-digit` groups.
        if rules.masksGUIDs, Self.isLetter(c) {
            var j = i
            while j < n, Self.isLetter(b[j]) { j += 1 }
            if j + 1 < n, b[j] == 0x2D, Self.isDigit(b[j + 1]) {
                var k = j
                var groups = 0
                while k + 1 < n, b[k] == 0x2D, Self.isHex(b[k + 1]) {
                    k += 1
                    while k < n, Self.isHex(b[k]) { k += 1 }
                    groups += 1
                }
                if groups >= 2, k == n || !Self.isWordByte(b[k]) { return (k, Array("<guid>".utf8)) }
            }
        }
        if rules.masksHex, c == 0x30, i + 2 < n, b[i + 1] | 0x20 == 0x78, Self.isHex(b[i + 2]) {
            var j = i + 2
            while j < n, Self.isHex(b[j]) { j += 1 }
            return (j, Array("<hex>".utf8))
        }
        let negative = c == 0x2D && i + 1 < n && Self.isDigit(b[i + 1])
        guard Self.isDigit(c) || negative else {
            if rules.masksHex, Self.isHex(c) {
                var j = i
                var digits = 0
                while j < n, Self.isHex(b[j]) {
                    if Self.isDigit(b[j]) { digits += 1 }
                    j += 1
                }
                if j - i >= 8, digits > 0, j == n || !Self.isWordByte(b[j]) { return (j, Array("<hex>".utf8)) }
            }
            return nil
        }
        var j = negative ? i + 1 : i
        while j < n, Self.isDigit(b[j]) { j += 1 }
        // a.b.c.d, optionally :port
        if rules.masksIPs, !negative, j < n, b[j] == 0x2E {
            var k = j
            var dots = 0
            while k + 1 < n, b[k] == 0x2E, Self.isDigit(b[k + 1]), dots < 3 {
                k += 1
                while k < n, Self.isDigit(b[k]) { k += 1 }
                dots += 1
            }
            if dots == 3 {
                if k + 1 < n, b[k] == 0x3A, Self.isDigit(b[k + 1]) {
                    k += 1
                    while k < n, Self.isDigit(b[k]) { k += 1 }
                }
                return (k, Array("<ip>".utf8))
            }
        }
        if rules.masksHex, j < n, Self.isHex(b[j]), !Self.isDigit(b[j]) {
            var k = j
            while k < n, Self.isHex(b[k]) { k += 1 }
            if k - i >= 8, k == n || !Self.isWordByte(b[k]) { return (k, Array("<hex>".utf8)) }
        }
        guard rules.masksNumbers else { return nil }
        if j + 1 < n, b[j] == 0x2E, Self.isDigit(b[j + 1]) {
            j += 1
            while j < n, Self.isDigit(b[j]) { j += 1 }
        }
        return (j, Array("<n>".utf8))
    }
}
