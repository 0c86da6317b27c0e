import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import CrashInbox

/// Collects a watcher's events in the background so a test can wait for them.
actor EventLog {
    private(set) var events: [CrashFileEvent] = []
    func add(_ event: CrashFileEvent) { events.append(event) }

    /// Polls until an event for `path` arrived or `timeout` passes; returns the events before it.
    func events(before path: String, timeout: Duration = .seconds(5)) async -> [CrashFileEvent] {
        let deadline = ContinuousClock.now + timeout
        while !events.contains(where: { $0.path == path }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return Array(events.prefix { $0.path != path })
    }

    /// Polls until `count` events arrived or `timeout` passes.
    func wait(for count: Int, timeout: Duration = .seconds(5)) async -> [CrashFileEvent] {
        let deadline = ContinuousClock.now + timeout
        while events.count < count, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return events
    }
}

@Suite(.serialized, .timeLimit(.minutes(1)))
struct CrashFolderWatcherTests {
    let folder: String

    let scratch = TemporaryDirectory("cw-crashes")

    init() throws {
        folder = scratch.path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    /// Starts the watcher and waits until it has seen a marker file, so later files are not "present at start".
    private func start(_ watcher: CrashFolderWatcher, marker: Bool = true) async -> (EventLog, Task<Void, Never>) {
        let log = EventLog()
        if marker { try? "marker\n".write(toFile: "\(folder)/0-marker.txt", atomically: false, encoding: .utf8) }
        let task = Task {
            for await event in watcher { await log.add(event) }
        }
        if marker { _ = await log.wait(for: 1) }
        return (log, task)
    }

    /// Runs a writer on a thread of its own: on the test's busy concurrency pool a writer can stall past the
    /// watcher's window between two pieces (seen in CI), which is a writer that stopped, not one still writing.
    private func onOwnThread(_ work: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                work()
                done.resume()
            }.start()
        }
    }

    private func writeInPieces(_ name: String, _ pieces: [String], pauseMicroseconds: UInt32 = 60_000) async {
        let path = "\(folder)/\(name)"
        await onOwnThread {
            FileManager.default.createFile(atPath: path, contents: nil)
            guard let handle = FileHandle(forWritingAtPath: path) else { return }
            for piece in pieces {
                handle.write(Data(piece.utf8))
                usleep(pauseMicroseconds)
            }
            handle.closeFile()
        }
    }

    @Test(arguments: [true, false])
    func aReportWrittenInPiecesArrivesOnceComplete(inotify: Bool) async throws {
        var watcher = CrashFolderWatcher(folders: [folder])
        watcher.usesInotify = inotify
        // Long enough that a loaded machine's scheduling (C++ builds and gdb run beside these tests) cannot make the
        // 60 ms pauses look like the end of the file when stability is the only signal.
        watcher.stableFor = inotify ? .milliseconds(500) : .milliseconds(1_500)
        let (log, task) = await start(watcher)
        defer { task.cancel() }
        let pieces = ["Exception code: C0000005 ", "ACCESS_VIOLATION\n", "Call stack:\n"]
        await writeInPieces("a_worldserver.exe_[31-10_11-14-33].txt", pieces)
        let events = await log.wait(for: 2)
        #expect(events.count == 2)
        let report = try #require(events.last)
        #expect(report.size == Int64(pieces.joined().utf8.count), "judged complete only after the last piece")
        #expect(report.wasPresentAtStart == false)
    }

    @Test(arguments: [true, false])
    func aTouchedFileFilledLaterArrivesOnceWithItsText(inotify: Bool) async throws {
        var watcher = CrashFolderWatcher(folders: [folder])
        watcher.usesInotify = inotify
        watcher.stableFor = .milliseconds(300)
        let (log, task) = await start(watcher)
        defer { task.cancel() }
        let path = "\(folder)/x.txt"
        FileManager.default.createFile(atPath: path, contents: nil)  // touch Crashes/x.txt
        try await Task.sleep(for: .milliseconds(700))
        let text = "Program terminated with signal SIGSEGV, Segmentation fault.\n#0  Map::Update () at Map.cpp:1\n"
        try text.write(toFile: path, atomically: false, encoding: .utf8)  // cat report > Crashes/x.txt
        let events = await log.events(before: try barrier())
        let reports = events.filter { $0.path == path }
        #expect(reports.count == 1, "\(reports)")
        #expect(reports.first?.size == Int64(text.utf8.count), "never the empty file")
    }

    @Test func aWriterAppendingLineByLineIsReadWholeAndAnAppendLaterIsReadAgain() async throws {
        var watcher = CrashFolderWatcher(folders: [folder])
        // Well above the writer's 30 ms between lines, even when the whole suite loads both cores (400 ms was not).
        watcher.stableFor = .milliseconds(1_000)
        let (log, task) = await start(watcher)
        defer { task.cancel() }
        let path = "\(folder)/appended.txt"
        let lines = (0..<8).map { "#\($0)  0x00005555 in Frame\($0)::Call () at File.cpp:\($0)\n" }
        await onOwnThread {
            FileManager.default.createFile(atPath: path, contents: nil)
            for line in lines {
                // Opened, appended to and closed for every line, as a shell's `>>` does.
                if let handle = FileHandle(forWritingAtPath: path) {
                    handle.seekToEndOfFile()
                    handle.write(Data(line.utf8))
                    handle.closeFile()
                }
                usleep(30_000)
            }
        }
        let first = await log.wait(for: 2)
        #expect(first.last?.size == Int64(lines.joined().utf8.count), "read once, whole")
        #expect(first.last?.rewritten == false)
        // Later, more is appended (a second pass of the crash handler): read again, as a replacement.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("Thread 2 (LWP 7):\n".utf8))
        try handle.close()
        let second = await log.wait(for: 3)
        #expect(second.count == 3)
        #expect(second.last?.rewritten == true)
        // A new report written over the same name (a server that reuses it) is a new crash, not a replacement.
        try "Program terminated with signal SIGABRT, Aborted.\n#0  abort ()\n".write(
            toFile: path, atomically: false, encoding: .utf8)
        let third = await log.wait(for: 4)
        #expect(third.count == 4)
        #expect(third.last?.rewritten == false)
    }

    /// Writes a last report: once it has arrived, whatever the watcher would have repeated before it has arrived too
    /// (events come in order of completion), so "nothing more" is checked without a fixed sleep.
    func barrier() throws -> String {
        let path = "\(folder)/zz-barrier.txt"
        try "barrier\n".write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    @Test func renameAndTouchDoNotRepeat() async throws {
        let (log, task) = await start(CrashFolderWatcher(folders: [folder]))
        defer { task.cancel() }
        try "report one\n".write(toFile: "\(folder)/one.txt", atomically: false, encoding: .utf8)
        _ = await log.wait(for: 2)
        try FileManager.default.moveItem(atPath: "\(folder)/one.txt", toPath: "\(folder)/one-renamed.txt")
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: "\(folder)/one-renamed.txt")
        try "report two\n".write(toFile: "\(folder)/two.txt", atomically: false, encoding: .utf8)
        _ = await log.wait(for: 3)
        let before = await log.events(before: try barrier())
        #expect(before.map { ($0.path as NSString).lastPathComponent } == ["0-marker.txt", "one.txt", "two.txt"])
    }

    @Test func filesAlreadyThereComeFirstAndMinidumpsAreLinked() async throws {
        try "old report\n".write(toFile: "\(folder)/old.txt", atomically: false, encoding: .utf8)
        try Data([0x4D, 0x44, 0x4D, 0x50]).write(to: URL(fileURLWithPath: "\(folder)/old.dmp"))
        try Data([0x4D, 0x44, 0x4D, 0x50]).write(to: URL(fileURLWithPath: "\(folder)/lonely.dmp"))
        var watcher = CrashFolderWatcher(folders: [folder])
        watcher.minidumpGrace = .milliseconds(200)
        let (log, task) = await start(watcher, marker: false)
        defer { task.cancel() }
        let events = await log.wait(for: 2)
        #expect(events.count == 2)
        let report = try #require(events.first { $0.path.hasSuffix("old.txt") })
        #expect(report.kind == .report(minidump: "\(folder)/old.dmp"))
        #expect(report.wasPresentAtStart)
        let lonely = try #require(events.first { $0.path.hasSuffix("lonely.dmp") })
        #expect(lonely.kind == .loneMinidump)
    }

    @Test func otherFilesAreIgnored() async throws {
        let (log, task) = await start(CrashFolderWatcher(folders: [folder]))
        defer { task.cancel() }
        try "x".write(toFile: "\(folder)/notes.md", atomically: false, encoding: .utf8)
        try "x".write(toFile: "\(folder)/.hidden.txt", atomically: false, encoding: .utf8)
        try "real\n".write(toFile: "\(folder)/real.txt", atomically: false, encoding: .utf8)
        _ = await log.wait(for: 2)
        let before = await log.events(before: try barrier())
        #expect(before.map { ($0.path as NSString).lastPathComponent } == ["0-marker.txt", "real.txt"])
    }

    @Test func aReportMovedInArrivesAtOnce() async throws {
        let (log, task) = await start(CrashFolderWatcher(folders: [folder]))
        defer { task.cancel() }
        let outsideScratch = TemporaryDirectory("cw-outside")
        let outside = outsideScratch.file("cw-outside.txt")
        try "moved report\n".write(toFile: outside, atomically: false, encoding: .utf8)
        try FileManager.default.moveItem(atPath: outside, toPath: "\(folder)/moved.txt")
        let events = await log.wait(for: 2)
        #expect(events.last?.path == "\(folder)/moved.txt")
    }

    @Test func manyFilesAtOnceEachArriveOnce() async throws {
        let (log, task) = await start(CrashFolderWatcher(folders: [folder]))
        defer { task.cancel() }
        for n in 0..<60 {
            try "report \(n)\n".write(toFile: "\(folder)/many-\(n).txt", atomically: false, encoding: .utf8)
        }
        _ = await log.wait(for: 61)
        let names = await log.events(before: try barrier()).map(\.path).filter { $0.contains("many-") }
        #expect(names.count == 60)
        #expect(Set(names).count == 60)
    }

    @Test func aFolderCreatedLaterIsPickedUp() async throws {
        let late = "\(folder)/not-yet"
        let (log, task) = await start(CrashFolderWatcher(folders: [late]), marker: false)
        defer { task.cancel() }
        try await Task.sleep(for: .milliseconds(100))
        try FileManager.default.createDirectory(atPath: late, withIntermediateDirectories: true)
        try "late report\n".write(toFile: "\(late)/late.txt", atomically: false, encoding: .utf8)
        let events = await log.wait(for: 1)
        #expect(events.map(\.path) == ["\(late)/late.txt"])
    }
}
