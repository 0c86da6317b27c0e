import CrashwatchKit
import Foundation

// Foundation's `contains(_:)` and `range(of:)` on Linux bridge every call to an NSString and copy the text to UTF-16:
// on a 40 KB `thread apply all bt full` report that was half of the analysis time. These overloads, more specific
// than Foundation's, search the UTF-8 bytes with memmem instead; the needles crashwatch searches for are ASCII, for
// which a byte match is the same match. Calls with options (`.caseInsensitive`, `.backwards`, a range) still go to
// Foundation.
extension StringProtocol {
    /// Whether `other` occurs in the text.
    func contains(_ other: String) -> Bool { byteOffset(of: other) != nil }

    /// The first occurrence of `other`.
    func range(of other: String) -> Range<Index>? {
        guard let offset = byteOffset(of: other) else { return nil }
        let start = utf8.index(utf8.startIndex, offsetBy: offset)
        return start..<utf8.index(start, offsetBy: other.utf8.count)
    }

    private func byteOffset(of other: String) -> Int? {
        let needleCount = other.utf8.count
        guard needleCount > 0 else { return 0 }
        let found = utf8.withContiguousStorageIfAvailable { haystack -> Int? in
            var needle = other
            return needle.withUTF8 {
                ByteSearch.firstOffset(of: UnsafeRawBufferPointer($0), in: UnsafeRawBufferPointer(haystack))
            }
        }
        if let found { return found }
        // Not contiguous (a bridged string): the standard library's own search.
        guard let match = utf8.firstRange(of: other.utf8) else { return nil }
        return utf8.distance(from: utf8.startIndex, to: match.lowerBound)
    }
}
