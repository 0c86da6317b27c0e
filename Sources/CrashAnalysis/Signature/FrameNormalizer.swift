import Foundation

/// Turns a frame into the name signatures are built from: the function without argument list, displacement,
/// calling convention, clone suffix or lambda number, with template arguments collapsed to `<T>`.
///
/// `Acore::ObjectUpdater::Visit<Creature>+7D` → `Acore::ObjectUpdater::Visit<T>`;
/// `Unit::DealDamage(Unit*, Unit*, unsigned int) const [clone .cold]` → `Unit::DealDamage`;
/// a frame with no symbol → `worldserver.exe@0001:000000000043AF01`.
public enum FrameNormalizer {
    public static func normalize(_ frame: StackFrame) -> String {
        guard var name = frame.function, !name.isEmpty else {
            if let module = frame.module { return "\(module)@\(frame.offset ?? frame.address ?? "?")" }
            return "@\(frame.address ?? frame.offset ?? "?")"
        }
        return normalize(function: &name)
    }

    public static func normalize(function: String) -> String {
        var name = function
        return normalize(function: &name)
    }

    private static func normalize(function name: inout String) -> String {
        if name.hasPrefix("[inline] ") { name.removeFirst("[inline] ".count) }
        for convention in ["__cdecl ", "__thiscall ", "__stdcall ", "__fastcall ", "__vectorcall "] {
            name = name.replacingOccurrences(of: convention, with: "")
        }
        // Hand-copied stacks sometimes read `Map :: GetRespawnMapForType`.
        name = name.replacingOccurrences(of: " :: ", with: "::").replacingOccurrences(of: ":: ", with: "::")
            .replacingOccurrences(of: " ::", with: "::")
        name = removingBracketed(name, opening: "[clone", closing: "]")
        // ABI tags (`ByteArrayToHexStr[abi:cxx11]`) come and go with the compiler's string ABI.
        name = removingBracketed(name, opening: "[abi:", closing: "]")
        name = name.replacingOccurrences(of: "(anonymous namespace)", with: "\u{1}")
        name = collapseLambdas(name)
        name = stripTrailingQualifiers(name)
        name = stripArgumentList(name)
        name = stripTrailingQualifiers(name)
        name = collapseTemplates(name)
        name = name.replacingOccurrences(of: "\u{1}", with: "(anonymous namespace)")
        return name.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    static func removingBracketed(_ text: String, opening: String, closing: Character) -> String {
        var text = text
        while let start = text.range(of: opening) {
            let end = text[start.upperBound...].firstIndex(of: closing).map { text.index(after: $0) } ?? text.endIndex
            var lower = start.lowerBound
            if lower > text.startIndex, text[text.index(before: lower)] == " " { lower = text.index(before: lower) }
            text.removeSubrange(lower..<end)
        }
        return text
    }

    /// gdb `{lambda(int)#2}` and MSVC `<lambda_4f3c9a…>` both become `{lambda}`.
    static func collapseLambdas(_ text: String) -> String {
        var text = text
        while let start = text.range(of: "{lambda(") {
            guard let end = text[start.upperBound...].firstIndex(of: "}") else { break }
            text.replaceSubrange(start.lowerBound...end, with: "{lambda}")
        }
        while let start = text.range(of: "<lambda_") {
            guard let end = text[start.upperBound...].firstIndex(of: ">") else { break }
            text.replaceSubrange(start.lowerBound...end, with: "{lambda}")
        }
        return text
    }

    static func stripTrailingQualifiers(_ text: String) -> String {
        var text = text.trimmingCharacters(in: .whitespaces)
        var changed = true
        while changed {
            changed = false
            for suffix in [" const", " volatile", "&&", "&", " noexcept"] where text.hasSuffix(suffix) {
                text.removeLast(suffix.count)
                text = text.trimmingCharacters(in: .whitespaces)
                changed = true
            }
        }
        return text
    }

    /// Removes a final `( … )` argument list, but not the parentheses of `operator()`.
    static func stripArgumentList(_ text: String) -> String {
        guard text.hasSuffix(")"), let open = GdbParser.matchingOpen(Substring(text)) else { return text }
        let before = text[..<open]
        if before.hasSuffix("operator") { return text }
        return String(before).trimmingCharacters(in: .whitespaces)
    }

    /// Every outermost `<…>` becomes `<T>`; `operator<`, `operator<<`, `operator->` are left alone.
    static func collapseTemplates(_ text: String) -> String {
        var out = ""
        var depth = 0
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "<" {
                if depth == 0, out.hasSuffix("operator") || out.hasSuffix("operator<") {
                    out.append(character)
                } else {
                    if depth == 0 { out += "<T>" }
                    depth += 1
                }
            } else if character == ">" {
                if depth > 0 {
                    depth -= 1
                } else {
                    out.append(character)
                }
            } else if depth == 0 {
                out.append(character)
            }
            index = text.index(after: index)
        }
        return out
    }
}
