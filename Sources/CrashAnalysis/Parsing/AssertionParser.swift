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
            var message = ReportText.after("Assertion message: ", in: trimmed).map(ReportText.trimmed) ?? trimmed
            if message.hasPrefix("#---") { message = "" }
            // AzerothCore's box without its `>>` title (cut, or inside a Wheaty `Assertion message:`).
            if isBoxKey(message, "Location") {
                let title = lines[max(0, index - 3)..<index].reversed().lazy.compactMap { previous in
                    kinds.first { ReportText.trimmed(previous).contains($0) }
                }.first
                return boxed(kind: title ?? "ASSERTION FAILED", lines: lines[index...])
            }
            let retyped = Substring(retypedLocationFixed(message))
            if let info = trinityCore(retyped, following: lines[(index + 1)...]) { return info }
            if let info = mangosStyle(retyped) ?? glibcStyle(retyped) ?? msvcStyle(retyped) { return info }
        }
        return nil
    }

    static func isBoxKey(_ text: Substring, _ key: String) -> Bool {
        text.hasPrefix("# \(key) '") || text.hasPrefix("# \(key): ") || text.hasPrefix("# \(key) ")
    }

    /// People retype what they see: `\ src \ server \ Unit.cpp: 4021 in Unit :: RemoveOwnedAura` is
    /// `\src\server\Unit.cpp:4021 in Unit::RemoveOwnedAura`.
    static func retypedLocationFixed(_ line: Substring) -> String {
        guard line.contains(" in ") else { return String(line) }
        var text = String(line)
        for separator in ["\\", "/", "::"] {
            while text.contains(" " + separator) {
                text = text.replacingOccurrences(of: " " + separator, with: separator)
            }
            while text.contains(separator + " ") {
                text = text.replacingOccurrences(of: separator + " ", with: separator)
            }
        }
        // `Unit.cpp: 4021 in` → `Unit.cpp:4021 in`
        if let range = text.range(
            of: ": ", options: .backwards,
            range: text.startIndex..<(text.range(of: " in ")?.lowerBound ?? text.endIndex)),
            text[range.upperBound...].first?.isNumber == true
        {
            text.replaceSubrange(range, with: ":")
        }
        return text
    }

    /// vmangos / MaNGOS: `/src/game/Object.cpp:2242: Error: Assertion in GetMap failed: m_currMap`.
    static func mangosStyle(_ line: Substring) -> AssertionInfo? {
        guard let marker = line.range(of: "Assertion in "),
            let failed = line.range(of: " failed", range: marker.upperBound..<line.endIndex)
        else { return nil }
        var info = AssertionInfo(
            kind: "ASSERTION FAILED", function: String(line[marker.upperBound..<failed.lowerBound]))
        let condition = line[failed.upperBound...].drop(while: { $0 == ":" || $0 == " " })
        if !condition.isEmpty { info.condition = String(condition) }
        let head = line[..<marker.lowerBound]
        let location = head.range(of: ": ").map { head[..<$0.lowerBound] } ?? head
        if let colon = location.lastIndex(of: ":"), let number = Int(location[location.index(after: colon)...]) {
            info.file = String(location[..<colon]).replacingOccurrencesOfBackslash()
            info.line = number
        }
        return info
    }

    /// A glibc `assert()` line, such as `worldserver: /src/Map.cpp:123: void Map::Foo(int): Assertion `x != nullptr'
    /// failed.`.
    static func glibcStyle(_ line: Substring) -> AssertionInfo? {
        guard let marker = line.range(of: ": Assertion `"), line.hasSuffix("' failed.") else { return nil }
        let condition = line[marker.upperBound..<line.index(line.endIndex, offsetBy: -"' failed.".count)]
        let head = line[..<marker.lowerBound]
        // `prog: FILE:LINE: SIGNATURE`
        let parts = head.components(separatedBy: ": ")
        guard parts.count >= 3 else { return nil }
        let location = parts[parts.count - 2]
        var info = AssertionInfo(kind: "ASSERTION FAILED", condition: String(condition))
        if let colon = location.lastIndex(of: ":"), let number = Int(location[location.index(after: colon)...]) {
            info.file = String(location[..<colon]).replacingOccurrencesOfBackslash()
            info.line = number
        }
        // `void Map::Foo(int)`: the name is the last word before the argument list.
        var signature = Substring(parts[parts.count - 1])
        if let open = signature.firstIndex(of: "(") {
            signature = signature[..<open]
        }
        info.function = signature.split(separator: " ").last.map(String.init)
        return info
    }

    /// MSVC CRT: `Assertion failed: index < size, file E:\src\Object.cpp, line 319`.
    static func msvcStyle(_ line: Substring) -> AssertionInfo? {
        guard let marker = line.range(of: "Assertion failed: "),
            let file = line.range(of: ", file ", options: .backwards),
            let lineMarker = line.range(of: ", line ", options: .backwards), file.upperBound <= lineMarker.lowerBound
        else { return nil }
        var info = AssertionInfo(kind: "ASSERTION FAILED", condition: String(line[marker.upperBound..<file.lowerBound]))
        info.file = String(line[file.upperBound..<lineMarker.lowerBound]).replacingOccurrencesOfBackslash()
        info.line = Int(line[lineMarker.upperBound...].prefix(while: { $0.isNumber }))
        return info
    }

    /// `<file>:<line> in <function> ASSERTION FAILED:` then the condition (indented) and any message lines.
    static func trinityCore(_ line: Substring, following: ArraySlice<Substring>) -> AssertionInfo? {
        guard
            let kind = kinds.first(where: { line.hasSuffix("\($0):") || line.hasSuffix("\($0).") || line.hasSuffix($0) }
            ),
            let inRange = line.range(of: " in ", options: .backwards)
        else { return nil }
        let location = line[..<inRange.lowerBound]
        guard let colon = location.lastIndex(of: ":"), let number = Int(location[location.index(after: colon)...])
        else {
            return nil
        }
        var function = line[inRange.upperBound...]
        if let kindRange = function.range(of: " " + kind, options: .backwards) {
            function = function[..<kindRange.lowerBound]
        }
        var info = AssertionInfo(
            kind: kind, file: String(location[..<colon]).replacingOccurrencesOfBackslash(), line: number,
            function: String(ReportText.trimmed(function)))
        var extra: [String] = []
        // A paste that put a blank line after every line: the condition still follows the marker.
        var following = following
        if following.count >= 2, ReportText.trimmed(following[following.startIndex]).isEmpty,
            following[following.startIndex + 1].hasPrefix("  ")
        {
            following = following.dropFirst()
        }
        for next in following.prefix(12) {
            let text = ReportText.trimmed(next)
            if text.isEmpty || GdbParser.isFrameStart(text) || text.hasPrefix("Call stack:")
                || text.hasPrefix("Fault address")
            {
                break
            }
            // The shell's word on the death (`Segmentation fault (core dumped)`, `Aborted`) is not the assert's message.
            if ["Segmentation fault", "Aborted", "Illegal instruction", "Bus error", "Killed"].contains(where: {
                text.hasPrefix($0)
            }) {
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
            var text = ReportText.trimmed(line)
            if let message = ReportText.after("Assertion message: ", in: text) { text = ReportText.trimmed(message) }
            if text.hasPrefix("#---") {
                if info.file != nil || info.function != nil { break }
                continue
            }
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
                if let colon = location.lastIndex(of: ":"), let number = Int(location[location.index(after: colon)...])
                {
                    info.file = String(location[..<colon]).replacingOccurrencesOfBackslash()
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
            } else if let debug = ReportText.after("# Debug info: '", in: text)
                ?? ReportText.after("# Debug info: ", in: text)
            {
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
