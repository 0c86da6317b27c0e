import CrashwatchKit
public import SystemPackage

/// Reads a log file front to back in large chunks and hands every line's bytes to a closure, without allocating per
/// line: lines are found with `memchr` and parsed in place.
///
/// The basis of the ingest benchmark and of building an index over a whole file.
public struct LogScanner {
    public let chunkSize: Int
    public let maxLineLength: Int

    public init(chunkSize: Int = 1 << 20, maxLineLength: Int = 64 * 1024) {
        self.chunkSize = chunkSize
        self.maxLineLength = maxLineLength
    }

    /// Calls `body(line, offset)` for every complete line of `path` (without its `\n`; a final unterminated line too).
    ///
    /// Lines longer than `maxLineLength` are passed cut to that length. Returns the bytes read.
    @discardableResult
    public func scan(
        _ path: FilePath, from start: Int64 = 0, to end: Int64 = .max,
        _ body: (UnsafeBufferPointer<UInt8>, Int64) -> Void
    ) throws -> Int64 {
        try scanWhile(path, from: start, to: end) { line, offset in
            body(line, offset)
            return true
        }
    }

    /// Like `scan`, but stops as soon as `body` returns false.
    @discardableResult
    public func scanWhile(
        _ path: FilePath, from start: Int64 = 0, to end: Int64 = .max,
        _ body: (UnsafeBufferPointer<UInt8>, Int64) -> Bool
    ) throws -> Int64 {
        let fd = try FileDescriptor.open(path, .readOnly, options: [.closeOnExec])
        defer { try? fd.close() }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize + maxLineLength, alignment: 64)
        defer { buffer.deallocate() }
        var offset = start
        var carried = 0  // bytes of an unfinished line kept at the front of the buffer
        var carriedStart = start
        var skippingLongLine = false
        while true {
            let want = Int(min(Int64(chunkSize), end - offset))
            if want <= 0 { break }
            let room = UnsafeMutableRawBufferPointer(rebasing: buffer[carried..<(carried + want)])
            let count = try fd.read(fromAbsoluteOffset: offset, into: room)
            if count == 0 { break }
            offset += Int64(count)
            let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            let end = carried + count
            var lineStart = 0
            var lineOffset = carriedStart
            while lineStart < end {
                let remaining = end - lineStart
                guard let hit = memchr(base + lineStart, 0x0A, remaining) else { break }
                let newline = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if skippingLongLine {
                    skippingLongLine = false
                } else if !body(
                    UnsafeBufferPointer(start: base + lineStart, count: min(newline - lineStart, maxLineLength)),
                    lineOffset)
                {
                    return offset - start
                }
                lineOffset += Int64(newline - lineStart + 1)
                lineStart = newline + 1
            }
            carried = end - lineStart
            carriedStart = lineOffset
            if carried >= maxLineLength {
                // A line longer than the limit: pass its first part now, skip the rest up to its newline.
                if !skippingLongLine,
                    !body(UnsafeBufferPointer(start: base + lineStart, count: maxLineLength), lineOffset)
                {
                    return offset - start
                }
                skippingLongLine = true
                carriedStart += Int64(carried)
                carried = 0
            } else if carried > 0, lineStart > 0 {
                memmove(base, base + lineStart, carried)
            }
        }
        if carried > 0, !skippingLongLine {
            let base = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
            _ = body(UnsafeBufferPointer(start: base, count: carried), carriedStart)
        }
        return offset - start
    }
}
