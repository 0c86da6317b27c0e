import Foundation

/// A regular expression typed by the user for `/` search or `f` filter.
///
/// Smart case, as in less and vim: all lowercase matches case-insensitively; any capital makes it case-sensitive.
public struct LineFilter: Sendable, CustomStringConvertible {
    public let pattern: String
    /// What the filter is called in titles when it was not typed (a template's search).
    public let label: String?
    // NSRegularExpression is immutable and documented thread-safe, but not marked Sendable in corelibs-foundation.
    private nonisolated(unsafe) let regex: NSRegularExpression

    /// - Throws: `InvalidPattern` with the regex engine's message.
    public init(pattern: String, label: String? = nil) throws(InvalidPattern) {
        self.pattern = pattern
        self.label = label
        let caseInsensitive = pattern == pattern.lowercased()
        do {
            regex = try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            throw InvalidPattern(pattern: pattern)
        }
    }

    public struct InvalidPattern: Error, Sendable, CustomStringConvertible {
        public var pattern: String
        public var description: String { "not a valid regular expression: \(pattern)" }
    }

    public func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// Character offsets of every match, for highlighting.
    public func matchOffsets(in text: String) -> [Range<Int>] {
        regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            guard match.range.length > 0, let range = Range(match.range, in: text) else { return nil }
            let start = text.distance(from: text.startIndex, to: range.lowerBound)
            return start..<(start + text.distance(from: range.lowerBound, to: range.upperBound))
        }
    }

    public var description: String { label.map { "template \"\($0)\"" } ?? "/\(pattern)/" }
}
