import Foundation
import Testing

@testable import LogWatch

/// The byte automaton answers "does this line hold a match" exactly as the regex engine does, for the syntax it takes.
@Suite struct LineAutomatonTests {
    static let lines = [
        "2025-10-31_11:14:33 ERROR [sql.sql] Deadlock found when trying to get lock; try restarting transaction",
        "2025-10-31_11:14:34 INFO  [server.loading] >> Loaded 21394 creature templates in 412 ms",
        "Creature (GUID: 120044 Entry: 3100) moved to invalid position X: -8913.23 Y: 554.63",
        "Account 4411 (Jaina完了) logged in from 10.0.0.5", "⚠️ NO TARGET in combat for Cathrine", "",
        "World Thread hangs for 60013 ms, forcing a crash!\r", "x", "abc\r", "Spell 83470 [EffectIndex: 0]",
        "tab\there", "vertical\u{0B}tab", "end with form feed\u{0C}", "٣٤٥٦٧ arabic digits", "line\u{2028}separator",
        "next\u{85}line", "Kelvin \u{212A} sign", "ſ long s",
        "ünïcödé line with ß and 12345 digits", "Bot Gr\u{FFFD}ommash action: loot Defias Thug",
        String(repeating: "long ", count: 70), "SmartAIMgr::LoadSmartAIFromDB: Entry 2110 SourceType 0, Event 3",
        "freeze detected", "FREEZE detected", "a.b.c", "[brackets] and {braces} and (parens)",
    ]

    static let patterns = [
        "[0-9]{5}", "^.{300,}$", "^$", "x*", "deadlock|freeze", "(Deadlock|World Thread)", "^[A-Z][a-z]+ ",
        "GUID: [0-9]+\\)", "ms$", "ms,", "\\d{2}:\\d{2}:\\d{2}", "[^a-z ]{4,}", "^.{5}$", "^..$", "é", "完了",
        "a\\.b", "\\[brackets\\]", "(ab|cd)+", "o+m", "^(x|abc)$", "[-+]?[0-9]+\\.[0-9]+", "\\s{2,}", "\\D{10}",
        "(?:Entry|Event) [0-9]+", "crash!$", "abc$", "t[a-z]*?e", "^.*$", "[.]", "Spell [0-9]+ \\[Effect",
        "e{2}", "(a|)b", "^\\S", "lock;", "\\w+ms", "\\W{3}", "^\\w+$", "Bot \\w+ action", "a\\s+b", "[[:digit:]]",
        "\\bms\\b", "(?i)ms", "(a)\\1", "a(?=b)",
    ]

    @Test func agreesWithTheRegexEngineOnEveryLine() throws {
        var compiled = 0
        for pattern in Self.patterns {
            let ignoresCase = pattern == pattern.lowercased()
            guard let automaton = LineAutomaton(pattern: pattern, ignoringCase: ignoresCase) else { continue }
            compiled += 1
            let regex = try NSRegularExpression(pattern: pattern, options: ignoresCase ? [.caseInsensitive] : [])
            for line in Self.lines {
                let expected = regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
                let bytes = Array(line.utf8)
                let got = bytes.withUnsafeBufferPointer { automaton.matches($0) }
                // Undecided only where the regex engine knows more (other scripts, broken UTF-8).
                #expect(
                    got == expected || (got == nil && line.utf8.contains { $0 >= 0x80 }), "/\(pattern)/ on \"\(line)\"")
            }
            // The same over a block, as the file search reads it.
            let block = Array(Self.lines.joined(separator: "\n").utf8)
            let expectedLines = Self.lines.enumerated().filter { _, line in
                regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
            }.map { $0.offset + 1 }
            let found = block.withUnsafeBufferPointer {
                automaton.matchingLines(in: $0, firstLine: 1) { line in
                    let text = String(decoding: line, as: UTF8.self)
                    return regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
                }
            }
            #expect(found == expectedLines, "/\(pattern)/")
        }
        #expect(compiled >= 30)
    }

    @Test func syntaxItDoesNotTakeIsLeftToTheRegexEngine() {
        for pattern in [
            "\\bms\\b", "(?i)ms", "(a)\\1", "a(?=b)", "[[:digit:]]", "[\\W]", "[\\S]", "\\p{L}", "a{", "(a",
        ] {
            #expect(LineAutomaton(pattern: pattern, ignoringCase: false) == nil, "\(pattern)")
        }
    }

    /// Broken UTF-8 is read by the regex engine as U+FFFD characters: a pattern that counts characters leaves such a
    /// line to it.
    @Test func aLineOfBrokenUTF8IsLeftToTheRegexEngine() throws {
        let broken: [UInt8] = Array("Bot Gr".utf8) + [0xE2, 0x80] + Array("ommash".utf8)
        let counting = try #require(LineAutomaton(pattern: "^.{14}$", ignoringCase: false))
        #expect(broken.withUnsafeBufferPointer { counting.matches($0) } == nil)
        let literal = try #require(LineAutomaton(pattern: "Gr.*mash", ignoringCase: false))
        #expect(Array("Bot Grommash".utf8).withUnsafeBufferPointer { literal.matches($0) } == true)
    }

    /// A pattern whose automaton has more states than the cache holds still answers right (the cache starts again).
    @Test func aLargeAutomatonStartsItsCacheAgain() throws {
        let pattern = "(a|b)*a(a|b){11}"
        let automaton = try #require(LineAutomaton(pattern: pattern, ignoringCase: true))
        let regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let line = String((0..<40).map { _ in Bool.random(using: &generator) ? "a" : "b" })
            let expected = regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
            #expect(Array(line.utf8).withUnsafeBufferPointer { automaton.matches($0) } == expected, "\(line)")
        }
    }
}
