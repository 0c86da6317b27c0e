import Foundation

/// Finds an ASSERT / ABORT / FATAL message in any report: TrinityCore's stderr form, the same text inside a Wheaty
/// `Assertion message:`, and AzerothCore's boxed form.
enum AssertionParser {
    static let kinds = ["ASSERTION FAILED", "FATAL ERROR", "ABORTED", "ERROR"]

    static func parse(_ lines: [Substring]) -> AssertionInfo? {
        for (index, line) in lines.enumerated() {
            let trimmed = ReportText.trimmed(line)
            if trimmed.hasPrefix(">> "), let kind = kinds.first(where: { trimmed.dropFirst(3).hasPrefix($0) }) {
                return boxed(kind: kind, lines: lines[(index + 1)...])
            }
            let message = ReportText.after("Assertion message: ", in: trimmed) ?? trimmed
            if let info = trinityCore(message, following: lines[(index + 1)...]) { return info }
        }
        return nil
    }

    /// `<file>:<line> in <function> ASSERTION FAILED:` then the condition (indented) and any message lines.
    static func trinityCore(_ line: Substring, following: ArraySlice<Substring>) -> AssertionInfo? {
        guard let kind = kinds.first(where: { line.hasSuffix("\($0):") || line.hasSuffix("\($0).") || line.hasSuffix($0) }),
            let inRange = line.range(of: " in ", options: .backwards)
        else { return nil }
        let location = line[..<inRange.lowerBound]
        guard let colon = location.lastIndex(of: ":"), let number = Int(location[location.index(after: colon)...]) else {
            return nil
        }
        var function = line[inRange.upperBound...]
        if let kindRange = function.range(of: " " + kind, options: .backwards) { function = function[..<kindRange.lowerBound] }
        var info = AssertionInfo(
            kind: kind, file: String(location[..<colon]).replacingOccurrencesOfBackslash(), line: number,
            function: String(ReportText.trimmed(function)))
        var extra: [String] = []
        for next in following.prefix(12) {
            let text = ReportText.trimmed(next)
            if text.isEmpty || GdbParser.isFrameStart(text) || text.hasPrefix("Call stack:") || text.hasPrefix("Fault address") {
                break
            }
            if info.condition == nil, kind == "ASSERTION FAILED", next.hasPrefix("  ") {
                info.condition = String(text)
            } else {
                extra.append(String(text))
            }
        }
        if !extra.isEmpty {
            info.message = extra.joined(separator: "\n")
        }
        return info
    }

    /// AzerothCore's `>> ASSERTION FAILED` box with `# Location '…'`, `# Function '…'`, `# Condition '…'`.
    static func boxed(kind: String, lines: ArraySlice<Substring>) -> AssertionInfo {
        var info = AssertionInfo(kind: kind)
        var debugLines: [String] = []
        var inDebug = false
        for line in lines.prefix(40) {
            let text = ReportText.trimmed(line)
            if text.hasPrefix("#---") { break }
            if inDebug {
                debugLines.append(String(text))
                if text.hasSuffix("'") { inDebug = false }
                continue
            }
            func value(_ key: String) -> String? {
                for separator in [" '", ": ", " "] {
                    if let rest = ReportText.after("# \(key)\(separator)", in: text) {
                        var v = rest
                        if v.last == "'" { v = v.dropLast() }
                        return String(v)
                    }
                }
                return nil
            }
            if let location = value("Location") {
                if let colon = location.lastIndex(of: ":"), let number = Int(location[location.index(after: colon)...]) {
                    info.file = String(location[..<colon])
                    info.line = number
                } else {
                    info.file = location
                }
            } else if let function = value("Function") {
                info.function = function
            } else if let condition = value("Condition") {
                info.condition = condition
            } else if let message = value("Message") {
                info.message = message
            } else if let debug = ReportText.after("# Debug info: '", in: text) ?? ReportText.after("# Debug info: ", in: text) {
                debugLines.append(String(debug))
                inDebug = !debug.hasSuffix("'")
            }
        }
        if !debugLines.isEmpty {
            var joined = debugLines.joined(separator: "\n")
            if joined.hasSuffix("'") { joined.removeLast() }
            info.debugInfo = joined
        }
        return info
    }
}
