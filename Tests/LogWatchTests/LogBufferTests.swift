import Testing

@testable import LogWatch

@Suite struct LogBufferTests {
    private func line(_ n: Int, _ level: LogLevel? = nil) -> LogLine {
        LogLine(number: n, text: "line \(n)", level: level)
    }

    @Test func dropsOldestWhenFullButKeepsCounting() {
        var buffer = LogBuffer(capacity: 3)
        buffer.append(contentsOf: [line(1, .error), line(2, .warn), line(3), line(4, .fatal), line(5)])
        #expect(buffer.count == 3)
        #expect(buffer.firstNumber == 3)
        #expect(buffer.lastNumber == 5)
        #expect(buffer.totalLines == 5)
        #expect(buffer.errorCount == 2)
        #expect(buffer.warningCount == 1)
        #expect(buffer.line(numbered: 2) == nil)
        #expect(buffer.line(numbered: 4)?.text == "line 4")
    }

    @Test func emptyBufferNumbers() {
        let buffer = LogBuffer(capacity: 3)
        #expect(buffer.firstNumber == 1)
        #expect(buffer.lastNumber == 0)
        #expect(buffer.line(numbered: 1) == nil)
    }
}

@Suite struct LogBufferMergeTests {
    static func line(_ key: Int, _ text: String) -> LogLine {
        var line = LogLine(number: 0, text: text, level: .info)
        line.readSeconds = Int64(key)
        return line
    }

    @Test func mergesByKeyRenumbersAndKeepsArrivalOrderOnTies() {
        var buffer = LogBuffer(capacity: 10)
        #expect(buffer.merge([Self.line(1, "a"), Self.line(5, "e")], by: { $0.readSeconds! }) == 1)
        #expect(buffer.merge([Self.line(3, "c"), Self.line(5, "f"), Self.line(2, "b")], by: { $0.readSeconds! }) == 2)
        #expect(buffer.all.map(\.text) == ["a", "b", "c", "e", "f"])
        #expect(buffer.all.map(\.number) == [1, 2, 3, 4, 5])
        #expect(buffer.totalLines == 5)
        #expect(buffer.merge([], by: { $0.readSeconds! }) == nil)
    }

    @Test func dropsTheOldestWhenFull() {
        var buffer = LogBuffer(capacity: 3)
        buffer.merge((1...4).map { Self.line($0, "\($0)") }, by: { $0.readSeconds! })
        buffer.merge([Self.line(0, "0")], by: { $0.readSeconds! })
        #expect(buffer.all.map(\.text) == ["2", "3", "4"], "the oldest line in time is the one dropped")
        #expect(buffer.firstNumber == 3 && buffer.lastNumber == 5)
    }
}
