/// Turns the bytes of a report file into text, whatever a Windows editor or a crash handler wrote: UTF-8 (with or
/// without a BOM), UTF-16 LE/BE (with a BOM, or recognised by its zero bytes), NUL padding at the end, stray NULs.
public enum ReportDecoder {
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        let data = Array(bytes)
        if data.count >= 2 {
            if data[0] == 0xFF, data[1] == 0xFE { return utf16(data.dropFirst(2), bigEndian: false) }
            if data[0] == 0xFE, data[1] == 0xFF { return utf16(data.dropFirst(2), bigEndian: true) }
        }
        if let bigEndian = looksUTF16(data) { return utf16(data[...], bigEndian: bigEndian) }
        var start = 0
        if data.count >= 3, data[0] == 0xEF, data[1] == 0xBB, data[2] == 0xBF { start = 3 }
        // NUL padding (a preallocated file) and stray NULs carry no text; dropping them keeps the rest readable.
        let text = data[start...].filter { $0 != 0 }
        return String(decoding: text, as: UTF8.self)
    }

    /// `true` for big-endian, `false` for little-endian, nil when the bytes are not BOM-less UTF-16 text: in the first
    /// 512 bytes, almost every second byte is zero on one side and almost never on the other.
    static func looksUTF16(_ data: [UInt8]) -> Bool? {
        let sample = data.prefix(512)
        guard sample.count >= 8 else { return nil }
        var evenZeros = 0, oddZeros = 0
        for (offset, byte) in sample.enumerated() where byte == 0 {
            if offset % 2 == 0 { evenZeros += 1 } else { oddZeros += 1 }
        }
        let pairs = sample.count / 2
        if oddZeros * 10 >= pairs * 8, evenZeros * 10 <= pairs { return false }
        if evenZeros * 10 >= pairs * 8, oddZeros * 10 <= pairs { return true }
        return nil
    }

    static func utf16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool) -> String {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let first = UInt16(bytes[index]), second = UInt16(bytes[index + 1])
            let unit = bigEndian ? first << 8 | second : second << 8 | first
            if unit != 0 { units.append(unit) }
            index += 2
        }
        return String(decoding: units, as: UTF16.self)
    }
}
