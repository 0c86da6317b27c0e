import Foundation

/// The little of an ELF file crashwatch reads itself: whether it is a core, and the names of its sections (to tell a
/// binary with debugging symbols from a stripped one).
enum ElfFile {
    /// `ET_CORE`: what the kernel writes for a crash.
    ///
    /// Other files in a cores folder are left alone.
    static func isCore(_ path: String) -> Bool {
        guard let header = read(path, at: 0, count: 18) else { return false }
        return header[0..<4] == [0x7F, 0x45, 0x4C, 0x46] && header[16] == 4 && header[17] == 0
    }

    /// Whether a 64-bit little-endian ELF binary carries DWARF (`.debug_info`) or names a separate debug file
    /// (`.gnu_debuglink`); nil when it cannot be read as one.
    static func hasDebugInformation(_ path: String) -> Bool? {
        guard let header = read(path, at: 0, count: 64), header[0..<4] == [0x7F, 0x45, 0x4C, 0x46], header[4] == 2,
            header[5] == 1
        else { return nil }
        let sectionsAt = integer(header, at: 0x28, size: 8)
        let entrySize = integer(header, at: 0x3A, size: 2)
        let count = integer(header, at: 0x3C, size: 2)
        let namesIndex = integer(header, at: 0x3E, size: 2)
        guard entrySize >= 64, count > 0, namesIndex < count,
            let table = read(path, at: sectionsAt, count: Int(entrySize * count))
        else { return nil }
        let names = Array(table[Int(namesIndex * entrySize)..<Int((namesIndex + 1) * entrySize)])
        let namesOffset = integer(names, at: 0x18, size: 8)
        let namesSize = integer(names, at: 0x20, size: 8)
        guard namesSize < 1 << 24, let strings = read(path, at: namesOffset, count: Int(namesSize)) else { return nil }
        var found: Set<String> = []
        for index in 0..<Int(count) {
            let nameAt = Int(integer(table, at: index * Int(entrySize), size: 4))
            guard nameAt < strings.count else { continue }
            let end = strings[nameAt...].firstIndex(of: 0) ?? strings.endIndex
            found.insert(String(decoding: strings[nameAt..<end], as: UTF8.self))
        }
        return found.contains(".debug_info") || found.contains(".gnu_debuglink")
    }

    private static func integer(_ bytes: [UInt8], at offset: Int, size: Int) -> UInt64 {
        (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }

    private static func read(_ path: String, at offset: UInt64, count: Int) -> [UInt8]? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.read(upToCount: count),
            data.count == count
        else { return nil }
        return [UInt8](data)
    }
}
