import CrashwatchKit
import Foundation

/// Watches crash folders and yields each crash file once it is complete, exactly once.
///
/// Complete means closed after writing or moved in (inotify), or — when polling — its size and mtime unchanged for
/// `stableFor`. A file renamed or touched again is not yielded again (it is known by device, inode and size). Files
/// already present at start are yielded first, marked `wasPresentAtStart`. A `.dmp` is yielded with the text report
/// of the same name, or alone as `.loneMinidump` when no report appears beside it within `minidumpGrace`.
public struct CrashFolderWatcher: AsyncSequence, Sendable {
    public typealias Element = CrashFileEvent

    public let folders: [String]
    public var pollInterval: Duration = .milliseconds(20)
    public var stableFor: Duration = .milliseconds(100)
    public var minidumpGrace: Duration = .seconds(3)
    /// Use inotify when it is available (the default); false forces polling (as on systems without it).
    public var usesInotify = true

    public init(folders: [String]) {
        self.folders = folders
    }

    public func makeAsyncIterator() -> Iterator { Iterator(watcher: self) }

    public struct Iterator: AsyncIteratorProtocol {
        private let watcher: CrashFolderWatcher
        private var state: WatchState

        init(watcher: CrashFolderWatcher) {
            self.watcher = watcher
            state = WatchState(watcher: watcher)
        }

        public mutating func next() async -> CrashFileEvent? {
            while !Task.isCancelled {
                if let event = state.nextReady() { return event }
                if let inotify = state.idleWatch {
                    // Nothing settling: sleep until the kernel says a folder changed (or the 2-s safety scan).
                    _ = await inotify.waitForChange(timeout: .seconds(2))
                } else {
                    do { try await Task.sleep(for: watcher.pollInterval) } catch { return nil }
                }
            }
            return nil
        }
    }

    /// The crash files in the folders now, all taken as complete (for importing or rendering without watching).
    public func existingFiles() -> [CrashFileEvent] {
        var copy = self
        copy.usesInotify = false
        let state = WatchState(watcher: copy, assumeComplete: true)
        var events: [CrashFileEvent] = []
        while let event = state.nextReady() { events.append(event) }
        return events
    }

    /// Whether the watcher actually runs on inotify here (for the status line).
    public var inotifyAvailable: Bool { usesInotify && InotifyWatch(folders: folders) != nil }
}

/// The watcher's bookkeeping, one per iterator.
final class WatchState {
    private struct Seen {
        var size: Int64
        var modified: Double
        var since: ContinuousClock.Instant
        var closed: Bool
    }

    private struct Identity: Hashable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
    }

    private let folders: [String]
    private let stableFor: Duration
    private let minidumpGrace: Duration
    private let inotify: InotifyWatch?
    private var seen: [String: Seen] = [:]
    private var emitted: Set<Identity> = []
    private var emittedPaths: Set<String> = []
    /// The size each yielded file had, to notice a later write (a touch changes no size and is not one).
    private var emittedSizes: [String: Int64] = [:]
    /// What each yielded file held, to tell a file written further (its old bytes still at its start) from a new
    /// report written over it (a server that reuses one file name).
    private var emittedDigests: [String: Int] = [:]
    private var rewrittenPaths: Set<String> = []
    private var ready: [CrashFileEvent] = []
    private var isFirstScan = true
    private var lastFullScan = ContinuousClock.now
    private var needsScan = true

    private let assumeComplete: Bool

    init(watcher: CrashFolderWatcher, assumeComplete: Bool = false) {
        self.assumeComplete = assumeComplete
        folders = watcher.folders
        stableFor = watcher.stableFor
        minidumpGrace = watcher.minidumpGrace
        inotify = watcher.usesInotify ? InotifyWatch(folders: watcher.folders) : nil
    }

    /// The inotify watch, when nothing is left to settle or scan: the iterator may then wait on it.
    var idleWatch: InotifyWatch? {
        guard let inotify, ready.isEmpty, !needsScan, seen.values.allSatisfy(\.closed) else { return nil }
        return inotify
    }

    func nextReady() -> CrashFileEvent? {
        if ready.isEmpty { step() }
        return ready.isEmpty ? nil : ready.removeFirst()
    }

    private func step() {
        let now = ContinuousClock.now
        if let inotify {
            for change in inotify.drain() {
                needsScan = true
                // Events arrive in order: a write after a close (a file reopened to append) makes it incomplete again.
                if change.isComplete {
                    seen[change.path]?.closed = true
                    closedPaths.insert(change.path)
                } else {
                    seen[change.path]?.closed = false
                    closedPaths.remove(change.path)
                }
            }
            // With inotify a full scan is only a safety net, and for files still settling.
            if !needsScan && seen.values.allSatisfy({ $0.closed }) && now - lastFullScan < .seconds(2) { return }
        }
        scan(now)
    }

    private var closedPaths: Set<String> = []
    private var presentAtStart: Set<String> = []

    private func scan(_ now: ContinuousClock.Instant) {
        needsScan = false
        lastFullScan = now
        let startup = isFirstScan
        isFirstScan = false
        var present: Set<String> = []
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names.sorted() where Self.isCrashFile(name) {
                let path = folder + "/" + name
                present.insert(path)
                if startup { presentAtStart.insert(path) }
                guard let info = Self.info(path) else { continue }
                if emittedPaths.contains(path) {
                    // Written again after it was read: incomplete again, and read again once it settles.
                    guard let size = emittedSizes[path], info.size != size, info.size > 0 else { continue }
                    emittedPaths.remove(path)
                    if info.size > size, Self.digest(path, prefix: size) == emittedDigests[path] {
                        rewrittenPaths.insert(path)
                    }
                    closedPaths.remove(path)
                    seen[path] = Seen(size: info.size, modified: info.modified, since: now, closed: false)
                    needsScan = true
                    continue
                }
                let identity = Identity(device: info.device, inode: info.inode, size: info.size)
                if emitted.contains(identity) {
                    emittedPaths.insert(path)  // renamed or touched: already handled
                    emittedSizes[path] = info.size
                    continue
                }
                let closed = closedPaths.contains(path)
                if var known = seen[path] {
                    if known.size != info.size || known.modified != info.modified {
                        known = Seen(size: info.size, modified: info.modified, since: now, closed: closed)
                    } else if closed {
                        known.closed = true
                    }
                    seen[path] = known
                } else {
                    // At start, a file untouched for a while is complete; a fresher one settles like any other.
                    let old = assumeComplete || (startup && Date().timeIntervalSince1970 - info.modified > 1)
                    seen[path] = Seen(size: info.size, modified: info.modified, since: now, closed: closed || old)
                }
                // An empty file is never a report (`touch`, or a writer that has not written yet).
                guard let current = seen[path], info.size > 0 else { continue }
                // With inotify a file is complete when it is closed; stability is only a safety net there (a writer
                // that never closes), so it waits much longer than when polling, where it is the only signal.
                // Files already there at start send no close event, so they settle on stability alone.
                let window = inotify == nil || presentAtStart.contains(path) ? stableFor : max(stableFor, .seconds(2))
                // Closed is not enough (a writer appending line by line closes after every line): closed and unchanged
                // for the stability time.
                let settled =
                    assumeComplete || current.closed && now - current.since >= stableFor
                    || now - current.since >= window
                guard settled else {
                    needsScan = true
                    continue
                }
                if name.lowercased().hasSuffix(".dmp") {
                    let stem = String(path.dropLast(4))
                    let hasReport = [".txt", ".log"].contains { FileManager.default.fileExists(atPath: stem + $0) }
                    if hasReport {
                        // Linked to its report when that one is yielded.
                        emit(path, identity)
                        continue
                    }
                    guard assumeComplete || presentAtStart.contains(path) || now - current.since >= minidumpGrace else {
                        needsScan = true
                        continue
                    }
                    ready.append(
                        CrashFileEvent(
                            path: path, kind: .loneMinidump, wasPresentAtStart: presentAtStart.contains(path),
                            lastWrite: info.modified, size: info.size))
                } else {
                    let dump = String(path[..<(path.lastIndex(of: ".") ?? path.endIndex)]) + ".dmp"
                    let minidump = FileManager.default.fileExists(atPath: dump) ? dump : nil
                    var event = CrashFileEvent(
                        path: path, kind: .report(minidump: minidump),
                        wasPresentAtStart: presentAtStart.contains(path),
                        lastWrite: info.modified, size: info.size)
                    event.rewritten = rewrittenPaths.remove(path) != nil
                    ready.append(event)
                }
                emit(path, identity)
            }
        }
        seen = seen.filter { present.contains($0.key) }
        closedPaths = closedPaths.filter { present.contains($0) }
    }

    private func emit(_ path: String, _ identity: Identity) {
        emitted.insert(identity)
        emittedPaths.insert(path)
        emittedSizes[path] = identity.size
        emittedDigests[path] = Self.digest(path, prefix: identity.size)
        seen[path] = nil
    }

    /// A hash of the first `prefix` bytes of `path`.
    static func digest(_ path: String, prefix: Int64) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: Int(prefix)) else { return nil }
        var hasher = Hasher()
        hasher.combine(data)
        return hasher.finalize()
    }

    static func isCrashFile(_ name: String) -> Bool {
        let lower = name.lowercased()
        guard !lower.hasPrefix(".") else { return false }
        return lower.hasSuffix(".txt") || lower.hasSuffix(".log") || lower.hasSuffix(".dmp")
    }

    static func info(_ path: String) -> (device: UInt64, inode: UInt64, size: Int64, modified: Double)? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            (attributes[.type] as? FileAttributeType) == .typeRegular
        else { return nil }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let device = (attributes[.systemNumber] as? NSNumber)?.uint64Value ?? 0
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        return (device, inode, size, modified)
    }
}
