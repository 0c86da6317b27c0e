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
        for relative in candidates {
            guard let data = FileManager.default.contents(atPath: "\(root)/\(relative)") else { continue }
            if let found = Self.definition(of: method, in: String(decoding: data, as: UTF8.self)) { return found }
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
