/// Splits a byte stream into lines, keeping a partial last line until its newline arrives.
///
/// A line longer than `maxLineLength` is cut there and marked, and the rest of it up to the newline is skipped, so one
/// enormous line (a packet dump) neither grows memory without bound nor takes the following lines with it.
public struct LineFramer: Sendable {
    public let maxLineLength: Int
    private var pending: [UInt8] = []
    private var skippingRestOfLongLine = false

    public init(maxLineLength: Int = 64 * 1024) {
        precondition(maxLineLength > 0, "maxLineLength must be positive")
        self.maxLineLength = maxLineLength
    }

    /// Bytes of an unfinished line held back.
    public var pendingByteCount: Int { pending.count }

    /// Feeds bytes; returns the lines they complete.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) -> [RawLine] {
        var lines: [RawLine] = []
        var start = 0
        let count = chunk.count
        while start < count {
            let remaining = UnsafeRawBufferPointer(rebasing: chunk[start..<count])
            let newline = remaining.firstIndex(of: UInt8(ascii: "\n")).map { $0 + start }
            let end = newline ?? count
            if skippingRestOfLongLine {
                if newline != nil { skippingRestOfLongLine = false }
            } else {
                let piece = UnsafeRawBufferPointer(rebasing: chunk[start..<end])
                let room = maxLineLength - pending.count
                if piece.count > room {
                    pending.append(contentsOf: piece.prefix(room))
                    lines.append(RawLine(bytes: trimmingCR(pending), isCut: true))
                    pending.removeAll(keepingCapacity: true)
                    skippingRestOfLongLine = newline == nil
                } else if newline != nil {
                    if pending.isEmpty {
                        lines.append(RawLine(bytes: trimmingCR(Array(piece))))
                    } else {
                        pending.append(contentsOf: piece)
                        lines.append(RawLine(bytes: trimmingCR(pending)))
                        pending.removeAll(keepingCapacity: true)
                    }
                } else {
                    pending.append(contentsOf: piece)
                }
            }
            start = end + 1
        }
        return lines
    }

    public mutating func feed(_ bytes: [UInt8]) -> [RawLine] {
        bytes.withUnsafeBytes { feed($0) }
    }

    /// Ends the stream: a partial last line is returned as a line (used when a file is rotated away or truncated).
    public mutating func flush() -> RawLine? {
        defer {
            pending.removeAll(keepingCapacity: true)
            skippingRestOfLongLine = false
        }
        guard !pending.isEmpty else { return nil }
        return RawLine(bytes: trimmingCR(pending))
    }

    private func trimmingCR(_ bytes: [UInt8]) -> [UInt8] {
        bytes.last == UInt8(ascii: "\r") ? Array(bytes.dropLast()) : bytes
    }
}
