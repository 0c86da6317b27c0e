import CrashwatchKit

/// A non-blocking inotify watch on folders: which files were closed after writing or moved in.
///
/// Linux only; where inotify cannot be set up (other systems, exhausted watches, some network file systems) `init`
/// returns nil and the watcher polls instead.
final class InotifyWatch {
    private let descriptor: Int32
    private var folders: [Int32: String] = [:]

    init?(folders paths: [String]) {
        #if os(Linux)
            let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard fd >= 0 else { return nil }
            descriptor = fd
            for path in paths {
                let wd = inotify_add_watch(fd, path, UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY))
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

    struct Change {
        var path: String
        /// Closed after writing, or moved in whole: complete now.
        var isComplete: Bool
    }

    /// Changes since the last call (never blocks).
    func drain() -> [Change] {
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
