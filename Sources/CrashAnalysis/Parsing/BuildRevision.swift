import Foundation

/// The build a report names, from every revision line shape the TrinityCore family prints: `TrinityCore rev.
///
/// 0123456789ab+ 2021-07-05 …`, the 2012 form `rev. 2012-08-04 13:09:11 +0300 (b16fe0bb0a32+)`, AzerothCore's `rev.
/// unknown 1970-01-01 …`, cMaNGOS `Revision: <40 hex> / Build: …` and `Revision: * * 2665 *`, vmangos `Commit Hash: …`,
/// `… commit <hex>`. Placeholders (`unknown`, `rev.  ()`, `0000-00-00 … (Archived)`, `Commit Hash: No`) are not builds.
public enum BuildRevision {
    /// The lowercase hash (or MaNGOS revision number), with `+` when the tree was dirty; nil when the line names no
    /// usable build.
    public static func hash(in line: Substring) -> String? {
        let text = ReportText.trimmed(line)
        if let range = text.range(of: "rev. ") {
            let rest = ReportText.trimmed(text[range.upperBound...])
            if let hash = leadingHash(rest) { return hash }
            // The 2012 form puts the hash in parentheses after the date.
            if let open = rest.firstIndex(of: "("), let hash = leadingHash(rest[rest.index(after: open)...]) {
                return hash
            }
            return nil
        }
        for marker in ["Commit Hash:", "commit ", "Revision:", "Revision "] {
            guard let range = text.range(of: marker) else { continue }
            let rest = ReportText.trimmed(text[range.upperBound...])
            if let hash = leadingHash(rest) { return hash }
            // cMaNGOS without git: `* * 2665 *` — the number is the revision.
            let words = rest.split(separator: " ")
            if words.first == "*", let number = words.first(where: { $0.allSatisfy(\.isNumber) }) {
                return "r" + number
            }
            return nil
        }
        return nil
    }

    /// A line of the text that names the build, as written.
    static func line(in lines: [Substring]) -> Substring? {
        for line in lines.prefix(400) {
            let text = ReportText.trimmed(line)
            if text.hasPrefix("Revision:") || text.hasPrefix("Commit Hash:") { return text }
            if text.contains(" rev. "), text.count < 300 { return text }
        }
        return nil
    }

    /// 7 to 40 hex digits (not a date, not a run of zeros), and a `+` right after.
    static func leadingHash(_ text: Substring) -> String? {
        let hex = text.prefix(while: { $0.isHexDigit })
        guard hex.count >= 7, hex.count <= 40, hex.contains(where: { $0.isLetter }) || hex.count >= 12,
            hex.contains(where: { $0 != "0" })
        else { return nil }
        let next = text.dropFirst(hex.count).first
        guard next == nil || next == "+" || next == " " || next == ")" || next == "," else { return nil }
        return hex.lowercased() + (next == "+" ? "+" : "")
    }
}
