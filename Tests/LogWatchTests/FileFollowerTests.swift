import CrashwatchKit
import Foundation
import SystemPackage
import TestSupport
import Testing

@testable import LogWatch

/// Each test works in its own temporary folder and drives the follower poll by poll, as the tail task would.
@Suite struct FileFollowerTests {
    let folder: URL
    let path: URL

    let scratch = TemporaryDirectory("cw-follow")

    init() throws {
        folder = scratch.url
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("Server.log")
    }

    private func write(_ text: String, to url: URL? = nil) throws {
        try Data(text.utf8).write(to: url ?? path)
    }

    private func append(_ text: String) throws {
        let handle = try FileHandle(forWritingTo: path)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    private func lines(_ update: FileFollower.Update) -> [String] {
        update.lines.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    private func makeFollower(_ start: FileFollower.StartPosition = .beginning) -> FileFollower {
        FileFollower(path: FilePath(path.path), startAt: start)
    }

    @Test func fileThatDoesNotExistYet() throws {
        let follower = makeFollower()
        let first = follower.poll()
        #expect(first.events == [.missing])
        #expect(follower.poll().events.isEmpty, "missing is reported once, not on every poll")
        try write("hello\n")
        let second = follower.poll()
        #expect(second.events == [.opened])
        #expect(lines(second) == ["hello"])
    }

    @Test func appendsArriveInOrder() throws {
        try write("one\n")
        let follower = makeFollower()
        #expect(lines(follower.poll()) == ["one"])
        try append("two\nthree\n")
        #expect(lines(follower.poll()) == ["two", "three"])
        #expect(lines(follower.poll()).isEmpty)
    }

    @Test func partialLineWrittenInPieces() throws {
        try write("")
        let follower = makeFollower()
        _ = follower.poll()
        try append("2015-05-03_22:58:52 WA")
        #expect(lines(follower.poll()).isEmpty)
        try append("RN  [warden] fail")
        #expect(lines(follower.poll()).isEmpty)
        try append("ed\nnext\n")
        #expect(lines(follower.poll()) == ["2015-05-03_22:58:52 WARN  [warden] failed", "next"])
    }

    @Test func truncationByServerRestart() throws {
        try write("old run line 1\nold run line 2\n")
        let follower = makeFollower()
        #expect(lines(follower.poll()).count == 2)
        try write("new\n")  // mode "w": shorter than before
        let update = follower.poll()
        #expect(update.events == [.truncated])
        #expect(lines(update) == ["new"])
    }

    @Test func truncationThenRegrowthPastTheOldOffset() throws {
        try write("old first line\n")
        let follower = makeFollower()
        #expect(lines(follower.poll()) == ["old first line"])
        try write("NEW first line after restart\nsecond\n")
        let update = follower.poll()
        #expect(update.events == [.truncated])
        #expect(lines(update) == ["NEW first line after restart", "second"])
    }

    @Test func rotationByRenameLosesNothing() throws {
        try write("a\n")
        let follower = makeFollower()
        #expect(lines(follower.poll()) == ["a"])
        try append("b\nunfinished")  // written just before the rename, not yet polled
        try FileManager.default.moveItem(at: path, to: folder.appendingPathComponent("Server.log.2025-10-31_01-15-35"))
        // Renamed away and no new file yet: the old descriptor is still read.
        let interim = follower.poll()
        #expect(lines(interim) == ["b"])
        #expect(interim.events.isEmpty)
        try write("c\n")
        let update = follower.poll()
        #expect(update.events == [.rotated, .opened])
        #expect(lines(update) == ["unfinished", "c"])
    }

    @Test func rotationWithoutAnInterimPoll() throws {
        try write("a\n")
        let follower = makeFollower()
        _ = follower.poll()
        try append("b\n")
        try FileManager.default.moveItem(at: path, to: folder.appendingPathComponent("Server.log.1"))
        try write("c\n")
        let update = follower.poll()
        #expect(lines(update) == ["b", "c"])
        #expect(update.events.contains(.rotated))
    }

    @Test func deleteAndRecreate() throws {
        try write("a\n")
        let follower = makeFollower()
        _ = follower.poll()
        try FileManager.default.removeItem(at: path)
        _ = follower.poll()
        try write("fresh\n")
        let update = follower.poll()
        #expect(lines(update) == ["fresh"])
        #expect(update.events.contains(.rotated))
    }

    @Test func tailStartSkipsToALineStart() throws {
        try write((1...100).map { "line \($0)" }.joined(separator: "\n") + "\n")
        let follower = makeFollower(.tail(bytes: 30))
        let got = lines(follower.poll())
        #expect(got.last == "line 100")
        #expect(got.count <= 4)
        #expect(got.allSatisfy { $0.hasPrefix("line ") })
    }

    @Test func startAtEndSkipsWhatExists() throws {
        try write("before\n")
        let follower = makeFollower(.end)
        #expect(lines(follower.poll()).isEmpty)
        try append("after\n")
        #expect(lines(follower.poll()) == ["after"])
    }

    @Test func largeBacklogIsReadAcrossPolls() throws {
        let line = String(repeating: "x", count: 99) + "\n"
        try write(String(repeating: line, count: 60_000))  // ~6 MB, more than one poll reads
        let follower = makeFollower()
        var total = 0
        var update = follower.poll()
        total += update.lines.count
        #expect(update.hasMore)
        while update.hasMore {
            update = follower.poll()
            total += update.lines.count
        }
        #expect(total == 60_000)
    }

    @Test func tailSequenceDeliversClassifiedLines() async throws {
        try write("2025-10-31_01:15:35 ERROR [sql.sql] broken\n")
        let tail = LogTail(path: FilePath(path.path), interval: .milliseconds(5))
        var iterator = tail.makeAsyncIterator()
        let batch = try #require(await iterator.next())
        #expect(batch.events == [.opened])
        #expect(batch.lines.map(\.level) == [.error])
        try append("2025-10-31_01:15:36 WARN  [maps] slow\n")
        let next = try #require(await iterator.next())
        #expect(next.lines.map(\.number) == [2])
    }
}

@Suite struct CopyTruncateTests {
    @Test func copyThenTruncateLosesNothingAndDuplicatesNothing() throws {
        let folderScratch = TemporaryDirectory("cw-copytrunc")
        let folder = folderScratch.url
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("Server.log")
        try Data("one\ntwo\n".utf8).write(to: path)
        let follower = FileFollower(path: FilePath(path.path))
        var seen = follower.poll().lines.map { String(decoding: $0.bytes, as: UTF8.self) }
        // logrotate's copytruncate: copy the file away, then empty it in place (same inode).
        try FileManager.default.copyItem(at: path, to: folder.appendingPathComponent("Server.log.1"))
        let handle = try FileHandle(forWritingTo: path)
        try handle.truncate(atOffset: 0)
        try handle.close()
        let afterTruncate = follower.poll()
        #expect(afterTruncate.events == [.truncated])
        let append = try FileHandle(forWritingTo: path)
        try append.seekToEnd()
        try append.write(contentsOf: Data("three\n".utf8))
        try append.close()
        seen += follower.poll().lines.map { String(decoding: $0.bytes, as: UTF8.self) }
        #expect(seen == ["one", "two", "three"])
    }
}
