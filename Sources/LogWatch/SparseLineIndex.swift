import CrashwatchKit
import SystemPackage

/// Where every `stride`-th line of a file starts, so any old line can be read back with one short `pread` instead
/// of keeping the file in memory: a 1 GB log of 9 million lines needs about 9,000 offsets.
public struct SparseLineIndex: Sendable, Equatable {
    public let path: String
    public let stride: Int
    /// `offsets[k]` is where line `k * stride + 1` starts.
    public private(set) var offsets: [Int64]
    /// Lines covered (1…lineCount).
    public private(set) var lineCount: Int
    /// Bytes covered: the index describes `[0, endOffset)`.
    public private(set) var endOffset: Int64

    /// Indexes the lines of `path` that start before `end`, to the end of the line that crosses it.
    ///
    /// - Parameter progress: called now and then with the bytes done, for the status line.
    public static func build(
        path: String, upTo end: Int64, stride: Int = 1024, progress: (Int64) -> Void = { _ in }
    ) throws -> SparseLineIndex {
        precondition(stride > 0, "stride must be positive")
        var index = SparseLineIndex(path: path, stride: stride, offsets: [], lineCount: 0, endOffset: 0)
        let boundary = try lineEnd(path: path, atOrAfter: end)
        var lastReport: Int64 = 0
        let lineLimit = 64 * 1024
        try LogScanner(maxLineLength: lineLimit).scan(FilePath(path), to: boundary) { line, offset in
            if index.lineCount % stride == 0 { index.offsets.append(offset) }
            index.lineCount += 1
            if offset - lastReport > 64 << 20 {
                lastReport = offset
                progress(offset)
            }
            _ = line
        }
        index.endOffset = boundary
        progress(boundary)
        return index
    }

    /// The offset just after the first newline at or after `offset - 1` (so a line that starts before `offset` is
    /// included whole), or the file size.
    static func lineEnd(path: String, atOrAfter offset: Int64) throws -> Int64 {
        guard offset > 0 else { return 0 }
        let fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        defer { try? fd.close() }
        let size = try fd.stat().size
        if offset >= size { return size }
        var position = offset - 1
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try fd.read(fromAbsoluteOffset: position, into: $0) }
            if count == 0 { return position }
            if let newline = chunk[0..<count].firstIndex(of: 0x0A) { return position + Int64(newline) + 1 }
            position += Int64(count)
        }
    }

    /// Lines `first …` (1-based, at most `count`) read back from the file and classified.
    public func lines(from first: Int, count: Int, reading: LineReading = .standard) throws -> [LogLine] {
        guard first >= 1, first <= lineCount, count > 0 else { return [] }
        let block = (first - 1) / stride
        var lineNumber = block * stride + 1
        var classifier = LineClassifier(reading: reading, firstNumber: lineNumber)
        var out: [LogLine] = []
        let last = min(lineCount, first + count - 1)
        try LogScanner(chunkSize: 64 * 1024).scanWhile(FilePath(path), from: offsets[block], to: endOffset) {
            bytes, _ in
            guard lineNumber <= last else { return false }
            let raw = RawLine(bytes: Array(bytes))
            if lineNumber >= first {
                out.append(classifier.classify(raw))
            } else {
                _ = classifier.classify(raw)  // keeps numbering and continuation context
            }
            lineNumber += 1
            return true
        }
        return out
    }
}

extension SparseLineIndex {
    /// Indexes what was written to the file since the index was built (cheap: only the new part is read).
    public func extended() throws -> SparseLineIndex {
        var index = self
        let fd = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        let size = try fd.stat().size
        try? fd.close()
        guard size > endOffset else { return self }
        try LogScanner().scan(FilePath(path), from: endOffset, to: size) { _, offset in
            if index.lineCount % index.stride == 0 { index.offsets.append(offset) }
            index.lineCount += 1
        }
        index.endOffset = size
        return index
    }
}
