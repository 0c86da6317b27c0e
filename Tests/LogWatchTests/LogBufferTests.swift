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
