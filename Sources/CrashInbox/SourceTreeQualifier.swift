import CrashwatchKit
import Foundation

/// Names the class of a method that an assertion names alone (`in RemoveOwnedAura`, from `__FUNCTION__`): looks for the
/// definition `Class::RemoveOwnedAura(` in the source tree, in the asserting file first.
///
/// Answers are cached, so a storm of the same assert reads the tree once.
public final class SourceTreeQualifier: Sendable {
    private let root: String
    private let answers = LockBox<[String: String?]>([:])

    public init(root: String) {
        self.root = root
    }

    public func qualify(method: String, file: String?) -> String? {
        let key = method + "|" + (file ?? "")
        if let known = answers.withLock({ $0[key] }) { return known }
        let answer = search(method: method, file: file)
        answers.withLock { $0[key] = answer }
        return answer
    }

    private func search(method: String, file: String?) -> String? {
        guard !method.isEmpty, method.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "~" }) else {
            return nil
        }
        let baseName = file.map { ($0 as NSString).lastPathComponent }
        var candidates: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: root) else { return nil }
        for case let relative as String in walker {
            if relative.hasPrefix(".git") || relative.contains("/.git/") { continue }
            guard relative.hasSuffix(".cpp") || relative.hasSuffix(".h") || relative.hasSuffix(".hpp") else { continue }
            if let baseName, (relative as NSString).lastPathComponent == baseName {
                candidates.insert(relative, at: 0)
            } else {
                candidates.append(relative)
            }
        }
        for (index, relative) in candidates.enumerated() {
            guard let data = FileManager.default.contents(atPath: "\(root)/\(relative)") else { continue }
            let text = String(decoding: data, as: UTF8.self)
            if let found = Self.definition(of: method, in: text) { return found }
            // In the asserting file itself, an inline definition in a class body (`Unit* GetUnitOwner() const
            // { ASSERT(…); … }` in `class Aura`) names the class before any `Other::Method(` elsewhere does.
            let isAssertingFile = baseName != nil && index == 0 && (relative as NSString).lastPathComponent == baseName
            if isAssertingFile, let found = Self.inClassDefinition(of: method, in: text) { return found }
        }
        return nil
    }

    /// `Aura::GetUnitOwner` from an inline definition `Unit* GetUnitOwner() const { … }` inside `class … Aura`.
    static func inClassDefinition(of method: String, in text: String) -> String? {
        var enclosingClass: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.hasPrefix("class ") || trimmed.hasPrefix("struct ") {
                // `class TC_GAME_API Aura`, `struct Foo : public Bar`; a forward declaration ends with `;`.
                if !trimmed.hasSuffix(";") {
                    let words = trimmed.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "{" })
                    enclosingClass = words.dropFirst().first { !$0.hasSuffix("_API") && $0 != "final" }.map(String.init)
                }
                continue
            }
            guard let enclosingClass, let range = trimmed.range(of: method + "("),
                trimmed[range.upperBound...].contains("{")
            else { continue }
            let before = trimmed[..<range.lowerBound]
            // A declaration has a return type before the name; a call has `.`, `->`, `::`, `(` or `=` there.
            guard let last = before.last, last == " " || last == "*" || last == "&" else { continue }
            let head = before.trimmingCharacters(in: .whitespaces)
            if head.isEmpty || head.hasSuffix("return") || head.contains("=") || head.contains("(") { continue }
            return enclosingClass + "::" + method
        }
        return nil
    }

    /// `Unit::RemoveOwnedAura` from a line `void Unit::RemoveOwnedAura(…`.
    static func definition(of method: String, in text: String) -> String? {
        var searchStart = text.startIndex
        while let range = text.range(of: "::" + method, range: searchStart..<text.endIndex) {
            searchStart = range.upperBound
            let after = text[range.upperBound...].drop(while: { $0 == " " })
            guard after.first == "(" else { continue }
            var start = range.lowerBound
            while start > text.startIndex {
                let previous = text[text.index(before: start)]
                guard previous.isLetter || previous.isNumber || previous == "_" || previous == ":" else { break }
                start = text.index(before: start)
            }
            let qualifier = text[start..<range.lowerBound]
            if !qualifier.isEmpty, qualifier.first?.isLetter == true { return qualifier + "::" + method }
        }
        return nil
    }
}
