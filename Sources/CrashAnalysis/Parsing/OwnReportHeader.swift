public import CrashwatchKit

/// The header of the reports crashwatch writes itself for a Linux crash or freeze (gdb on a core, or attached):
/// `crashwatch report: …`, then `Key: value` lines up to the first empty line.
public enum OwnReportHeader {
    public static let marker = "crashwatch report"
    public static let freezeTitle = "freeze, stacks attached with gdb"

    /// The header's fields, when `lines` start with one.
    static func fields(_ lines: [Substring]) -> [Substring: Substring]? {
        guard let first = lines.first, first.hasPrefix(marker) else { return nil }
        var fields: [Substring: Substring] = [:]
        for line in lines.dropFirst().prefix(30) {
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon]] = ReportText.trimmed(line[line.index(after: colon)...])
        }
        return fields
    }

    /// The header's `Note:` lines (no core, gdb missing, a core from another binary): what the report lacks and why.
    static func notes(_ lines: [Substring]) -> [String] {
        guard lines.first?.hasPrefix(marker) == true else { return [] }
        return lines.dropFirst().prefix(30).prefix(while: { !$0.isEmpty }).filter { $0.hasPrefix("Note: ") }.map {
            String($0.dropFirst(6))
        }
    }

    static func isFreeze(_ lines: [Substring]) -> Bool {
        lines.first.map { $0.hasPrefix(marker) && $0.contains(freezeTitle) } ?? false
    }

    /// `Time: 2026-12-01 12:51:09`.
    static func time(_ lines: [Substring]) -> CivilTime? {
        guard let value = fields(lines)?["Time"] else { return nil }
        let numbers = value.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count >= 6 else { return nil }
        return CivilTime(
            year: numbers[0], month: numbers[1], day: numbers[2], hour: numbers[3], minute: numbers[4],
            second: numbers[5])
    }
}
