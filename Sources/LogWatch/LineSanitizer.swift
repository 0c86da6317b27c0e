/// Turns the raw bytes of a log line into text that is safe to draw.
///
/// A log line is data: it must never move the cursor, change colours or retitle the terminal. Invalid UTF-8 becomes
/// U+FFFD; C0 controls and DEL are shown in caret notation (`ESC` → `^[`); C1 controls become `<U+009B>`-style text;
/// a tab becomes spaces up to the next multiple of four columns.
public enum LineSanitizer {
    public static func sanitize(_ bytes: [UInt8]) -> String {
        // Fast path for the common case, printable ASCII: nothing to replace, one pass over the bytes.
        let plain = bytes.withUnsafeBufferPointer { buffer in
            buffer.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        }
        if plain { return String(decoding: bytes, as: UTF8.self) }
        return sanitize(bytes[...])
    }

    public static func sanitize(_ bytes: some Collection<UInt8>) -> String {
        let decoded = String(decoding: bytes, as: UTF8.self)
        // Fast path: nothing to replace in most lines.
        if !decoded.unicodeScalars.contains(where: needsEscaping) { return decoded }
        var out = String.UnicodeScalarView()
        var column = 0
        for scalar in decoded.unicodeScalars {
            switch scalar.value {
            case 0x09:
                let spaces = 4 - column % 4
                out.append(contentsOf: repeatElement(" ", count: spaces))
                column += spaces
            case 0x00..<0x20:
                out.append("^")
                out.append(Unicode.Scalar(UInt8(scalar.value) + 0x40))
                column += 2
            case 0x7F:
                out.append(contentsOf: "^?".unicodeScalars)
                column += 2
            case 0x80..<0xA0:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out.append(contentsOf: "<U+00\(hex)>".unicodeScalars)
                column += 8
            case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069:
                // Line separators and bidirectional overrides reorder or break the drawn line.
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out.append(contentsOf: "<U+\(hex)>".unicodeScalars)
                column += 8
            default:
                out.append(scalar)
                column += 1
            }
        }
        return String(out)
    }

    @inline(__always)
    static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029 || (v >= 0x202A && v <= 0x202E)
            || (v >= 0x2066 && v <= 0x2069)
    }
}
