import Testing

@testable import LogWatch

@Suite struct LineSanitizerTests {
    @Test func plainTextIsUnchanged() {
        #expect(
            LineSanitizer.sanitize(Array("Loaded 12 spells — Jaina's Übung 完了".utf8))
                == "Loaded 12 spells — Jaina's Übung 完了")
    }

    @Test func escapeSequencesBecomeInert() {
        let bytes: [UInt8] = Array("red \u{1B}[31mtext\u{1B}[0m bell\u{07}".utf8)
        let text = LineSanitizer.sanitize(bytes)
        #expect(text == "red ^[[31mtext^[[0m bell^G")
        #expect(!text.unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func c1ControlsAndBidiOverridesAreShownAsCodes() {
        let text = LineSanitizer.sanitize(Array("a\u{9B}2Jb\u{202E}c".utf8))
        #expect(text == "a<U+009B>2Jb<U+202E>c")
    }

    @Test func invalidUTF8IsReplaced() {
        let text = LineSanitizer.sanitize([0x41, 0xFF, 0xFE, 0x42, 0xC3])
        #expect(text == "A\u{FFFD}\u{FFFD}B\u{FFFD}")
    }

    @Test func tabsExpandToSpaces() {
        #expect(LineSanitizer.sanitize(Array("a\tb".utf8)) == "a   b")
        #expect(LineSanitizer.sanitize(Array("\u{7F}".utf8)) == "^?")
    }
}
