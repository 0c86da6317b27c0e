import CrashwatchKit
import Foundation
import SystemPackage
import TestSupport
import Testing

@testable import LogWatch

@Suite struct SparseLineIndexTests {
    let path: String
    let expected: [String]

    let scratch = TemporaryDirectory("cw-index")

    init() throws {
        path = scratch.file("cw-index.log")
        var lines: [String] = []
        for n in 1...5_000 {
            let level = n % 7 == 0 ? "ERROR" : "INFO "
            lines.append(
                "2025-10-31_11:14:\(String(format: "%02d", n % 60)) \(level) [t] line \(n) "
                    + String(repeating: "x", count: n % 50))
        }
        expected = lines
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func readsBackExactlyTheLinesOfTheFile() throws {
        let index = try SparseLineIndex.build(path: path, upTo: .max, stride: 64)
        #expect(index.lineCount == 5_000)
        #expect(index.offsets.count == 5_000 / 64 + 1)
        for first in [1, 2, 63, 64, 65, 128, 1_000, 4_990, 5_000] {
            let lines = try index.lines(from: first, count: 10)
            let want = Array(expected[(first - 1)..<min(5_000, first + 9)])
            #expect(lines.map(\.text) == want, "from line \(first)")
            #expect(lines.first?.number == first)
        }
        #expect(try index.lines(from: 5_001, count: 3).isEmpty)
    }

    @Test func scrollingThroughTheWholeFileShowsEveryLineOnce() throws {
        let index = try SparseLineIndex.build(path: path, upTo: .max, stride: 100)
        var seen: [String] = []
        var line = 1
        while line <= index.lineCount {
            let page = try index.lines(from: line, count: 37)
            seen += page.map(\.text)
            line += 37
        }
        #expect(seen == expected)
    }

    @Test func stopsAtTheLineThatCrossesTheBoundary() throws {
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        let index = try SparseLineIndex.build(path: path, upTo: Int64(size / 2), stride: 64)
        // The follower started at the next line start; the index must end exactly there.
        let follower = FileFollower(path: FilePath(path), startAt: .tail(bytes: size - size / 2))
        let first = follower.poll().lines.first.map { String(decoding: $0.bytes, as: UTF8.self) }
        #expect(first == expected[index.lineCount])
        let last = try index.lines(from: index.lineCount, count: 1).first?.text
        #expect(last == expected[index.lineCount - 1])
    }
}
