import Foundation

/// Finds bytes in bytes the fast way on Linux: memchr for the first byte, memcmp for the rest.
///
/// memmem is hidden behind `_GNU_SOURCE`; Foundation's `String.contains` bridges every call to an NSString and
/// copies it to UTF-16.
public enum ByteSearch {
    /// The offset of the first occurrence of `needle` in `haystack`; 0 for an empty needle.
    public static func firstOffset(of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
        let needleCount = needle.count
        guard needleCount > 0 else { return 0 }
        guard let base = haystack.baseAddress, let needleBase = needle.baseAddress, haystack.count >= needleCount
        else { return nil }
        let first = Int32(needle[0])
        var offset = 0
        let last = haystack.count - needleCount
        while offset <= last {
            guard let hit = memchr(base + offset, first, last - offset + 1) else { return nil }
            let at = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + at, needleBase, needleCount) == 0 { return at }
            offset = at + 1
        }
        return nil
    }
}
