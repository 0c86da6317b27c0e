public import SystemPackage

/// Follows one log file by path: appends, partial lines, truncation, rotation by rename, and a file that does not
/// exist yet.
///
/// Each `poll()` compares the file at the path with the open descriptor (device and inode), the descriptor's size
/// with the read offset, and the first bytes of the file with those seen before (the hash-of-first-line check lnav
/// uses, which catches a truncate followed by fast regrowth). Reads use `pread`, never `mmap`: a file truncated under
/// a mapping would kill the process with SIGBUS.
///
/// Not thread-safe: one owner polls it (see ``LogTail``).
public final class FileFollower {
    public enum StartPosition: Sendable, Equatable {
        /// Read the whole file.
        case beginning
        /// Read only about the last `bytes` of the file that exists at start (from the next line start).
        case tail(bytes: Int)
        /// Skip what exists at start.
        case end
    }

    public struct Update: Sendable {
        public var lines: [RawLine] = []
        public var events: [FollowEvent] = []
        /// True when more data is waiting than one poll reads; poll again soon.
        public var hasMore = false
    }

    public let path: FilePath
    private let startPosition: StartPosition
    private let maxBytesPerPoll: Int
    private var framer: LineFramer
    private var descriptor: FileDescriptor?
    private var identity: (device: UInt64, inode: UInt64)?
    private var offset: Int64 = 0
    /// The first bytes of the file as read, to notice a file rewritten from the start.
    private var head: [UInt8] = []
    private var isFirstOpen = true
    private var reportedMissing = false
    private var skipToNextLine = false
    private var buffer: [UInt8]

    public init(
        path: FilePath, startAt startPosition: StartPosition = .beginning, maxLineLength: Int = 64 * 1024,
        maxBytesPerPoll: Int = 4 * 1024 * 1024
    ) {
        self.path = path
        self.startPosition = startPosition
        self.maxBytesPerPoll = maxBytesPerPoll
        self.framer = LineFramer(maxLineLength: maxLineLength)
        self.buffer = [UInt8](repeating: 0, count: 256 * 1024)
    }

    deinit {
        try? descriptor?.close()
    }

    /// Bytes read so far from the current file.
    public var readOffset: Int64 { offset }

    /// True while a file is open.
    public var isOpen: Bool { descriptor != nil }

    public func poll() -> Update {
        var update = Update()
        if descriptor == nil {
            guard openAtPath(&update) else { return update }
        }
        checkReplacement(&update)
        checkTruncation(&update)
        readAvailable(&update)
        return update
    }

    // MARK: - Steps

    private func openAtPath(_ update: inout Update) -> Bool {
        do {
            let fd = try FileDescriptor.open(path, .readOnly, options: [.closeOnExec])
            let stat = try fd.stat()
            descriptor = fd
            identity = (UInt64(stat.deviceID.rawValue), UInt64(stat.inode.rawValue))
            offset = 0
            head = []
            reportedMissing = false
            if isFirstOpen {
                switch startPosition {
                case .beginning: break
                case .end: offset = stat.size
                case .tail(let bytes):
                    if stat.size > Int64(bytes) {
                        offset = stat.size - Int64(bytes)
                        skipToNextLine = true
                    }
                }
                if offset > 0 { head = readHead(fd, count: 64) }
            }
            isFirstOpen = false
            update.events.append(.opened)
            return true
        } catch Errno.noSuchFileOrDirectory {
            isFirstOpen = false
            if !reportedMissing {
                update.events.append(.missing)
                reportedMissing = true
            }
            return false
        } catch {
            update.events.append(.failed("\(path): \(error)"))
            return false
        }
    }

    /// A rename or a delete-and-create puts another file at the path: finish the old one, then switch.
    private func checkReplacement(_ update: inout Update) {
        guard let identity else { return }
        let atPath: Stat
        do {
            atPath = try path.stat()
        } catch {
            // Renamed away and not re-created yet: keep reading the old descriptor until a new file appears.
            return
        }
        guard UInt64(atPath.deviceID.rawValue) != identity.device || UInt64(atPath.inode.rawValue) != identity.inode
        else { return }
        readAvailable(&update, untilEnd: true)
        if let last = framer.flush() { update.lines.append(last) }
        closeDescriptor()
        update.events.append(.rotated)
        _ = openAtPath(&update)
    }

    private func checkTruncation(_ update: inout Update) {
        guard let fd = descriptor else { return }
        guard let size = try? fd.stat().size else { return }
        var truncated = size < offset
        if !truncated, !head.isEmpty {
            truncated = readHead(fd, count: head.count) != head
        }
        guard truncated else { return }
        if let last = framer.flush() { update.lines.append(last) }
        offset = 0
        head = []
        skipToNextLine = false
        update.events.append(.truncated)
    }

    private func readAvailable(_ update: inout Update, untilEnd: Bool = false) {
        guard let fd = descriptor else { return }
        var budget = untilEnd ? Int.max : maxBytesPerPoll
        while budget > 0 {
            let want = min(buffer.count, budget)
            let count: Int
            do {
                count = try buffer.withUnsafeMutableBytes { raw in
                    try fd.read(
                        fromAbsoluteOffset: offset, into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<want]))
                }
            } catch {
                update.events.append(.failed("\(path): \(error)"))
                return
            }
            if count == 0 { return }
            if head.count < 64, offset < 64 {
                let headEnd = min(count, 64 - Int(offset))
                if Int(offset) == head.count { head.append(contentsOf: buffer[0..<headEnd]) }
            }
            offset += Int64(count)
            budget -= count
            buffer.withUnsafeBytes { raw in
                var chunk = UnsafeRawBufferPointer(rebasing: raw[0..<count])
                if skipToNextLine {
                    guard let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) else { return }
                    chunk = UnsafeRawBufferPointer(rebasing: chunk[(newline + 1)...])
                    skipToNextLine = false
                }
                update.lines.append(contentsOf: framer.feed(chunk))
            }
        }
        update.hasMore = true
    }

    private func readHead(_ fd: FileDescriptor, count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = (try? bytes.withUnsafeMutableBytes { try fd.read(fromAbsoluteOffset: 0, into: $0) }) ?? 0
        return Array(bytes[0..<got])
    }

    private func closeDescriptor() {
        try? descriptor?.close()
        descriptor = nil
        identity = nil
        offset = 0
        head = []
    }
}
