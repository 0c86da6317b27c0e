import Testing

@testable import LogWatch

@Suite struct LineFramerTests {
    private func strings(_ lines: [RawLine]) -> [String] { lines.map { String(decoding: $0.bytes, as: UTF8.self) } }

    @Test func partialLinesWaitForTheirNewline() {
        var framer = LineFramer()
        #expect(framer.feed(Array("first li".utf8)).isEmpty)
        #expect(strings(framer.feed(Array("ne\nsecond".utf8))) == ["first line"])
        #expect(framer.pendingByteCount == 6)
        #expect(strings(framer.feed(Array(" part\r\nthird\n".utf8))) == ["second part", "third"])
        #expect(framer.flush() == nil)
    }

    @Test func emptyLinesAreKept() {
        var framer = LineFramer()
        #expect(strings(framer.feed(Array("a\n\n\nb\n".utf8))) == ["a", "", "", "b"])
    }

    @Test func longLinesAreCutAndTheNextLineSurvives() {
        var framer = LineFramer(maxLineLength: 10)
        var lines = framer.feed(Array("0123456".utf8))
        lines += framer.feed(Array("789abcdefgh".utf8))
        lines += framer.feed(Array("ijk\nnext\n".utf8))
        #expect(strings(lines) == ["0123456789", "next"])
        #expect(lines.map(\.isCut) == [true, false])
    }

    @Test func aLineOfExactlyTheLimitIsWhole() {
        var framer = LineFramer(maxLineLength: 4)
        let lines = framer.feed(Array("abcd\nef\n".utf8))
        #expect(strings(lines) == ["abcd", "ef"])
        #expect(lines.map(\.isCut) == [false, false])
    }

    @Test func flushReturnsTheUnfinishedLine() {
        var framer = LineFramer()
        _ = framer.feed(Array("half".utf8))
        #expect(framer.flush().map { String(decoding: $0.bytes, as: UTF8.self) } == "half")
        #expect(framer.pendingByteCount == 0)
    }

    @Test func classifierMarksCutLines() {
        var framer = LineFramer(maxLineLength: 2048)
        var classifier = LineClassifier()
        let raw = framer.feed(Array(String(repeating: "x", count: 5000).utf8) + [10])
        let line = classifier.classify(raw[0])
        #expect(line.isCut)
        #expect(line.text.hasSuffix("[… line cut at 2 KiB]"))
    }
}
