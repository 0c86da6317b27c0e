import Foundation

/// A non-blocking inotify watch on folders: which files were written, closed after writing, created or moved in —
/// and a way to sleep until one is (`waitForChange`), so that an idle watcher costs nothing.
///
/// Linux only; where inotify cannot be set up (other systems, exhausted watches, some network file systems) `init`
/// returns nil and the watcher polls instead.
public final class InotifyWatch: @unchecked Sendable {
    // The descriptor is only read after init; `drain` is called from one task at a time by each owner.
    private let descriptor: Int32
    private var folders: [Int32: String] = [:]

    public init?(folders paths: [String]) {
        #if os(Linux)
            let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard fd >= 0 else { return nil }
            descriptor = fd
            for path in paths {
                let wd = inotify_add_watch(
                    fd, path, UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_DELETE))
                guard wd >= 0 else {
                    close(fd)
                    return nil
                }
                folders[wd] = path
            }
        #else
            return nil
        #endif
    }

    deinit {
        close(descriptor)
    }

    public struct Change: Sendable {
        public var path: String
        /// Closed after writing, or moved in whole: complete now.
        public var isComplete: Bool
    }

    /// Sleeps until a change is waiting or `timeout` passes, without a thread of the concurrency pool; true when one
    /// is waiting.
    public func waitForChange(timeout: Duration) async -> Bool {
        let descriptor = descriptor
        let milliseconds = Int32(min(timeout / .milliseconds(1), 60_000))
        return await BlockingWork.perform {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            return poll(&request, 1, milliseconds) > 0
        }
    }

    /// Changes since the last call (never blocks).
    public func drain() -> [Change] {
        var changes: [Change] = []
        #if os(Linux)
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                var offset = 0
                buffer.withUnsafeBytes { raw in
                    while offset + MemoryLayout<inotify_event>.size <= count {
                        let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                        let nameStart = offset + MemoryLayout<inotify_event>.size
                        let nameBytes = raw[nameStart..<(nameStart + Int(event.len))].prefix { $0 != 0 }
                        if let folder = folders[event.wd], !nameBytes.isEmpty {
                            let complete = event.mask & UInt32(IN_CLOSE_WRITE | IN_MOVED_TO) != 0
                            changes.append(
                                Change(
                                    path: folder + "/" + String(decoding: nameBytes, as: UTF8.self),
                                    isComplete: complete))
                        }
                        offset = nameStart + Int(event.len)
                    }
                }
            }
        #endif
        return changes
    }
}
