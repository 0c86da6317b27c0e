import Foundation

/// Regular expressions compiled once, kept with their source text (which is what is encoded and compared).
public struct RegexList: Sendable, Hashable, Codable {
    public let sources: [String]
    // NSRegularExpression is immutable and documented thread-safe, but not marked Sendable in corelibs-foundation.
    private nonisolated(unsafe) let compiled: [NSRegularExpression]

    public init(_ sources: [String]) throws(InvalidRegex) {
        var compiled: [NSRegularExpression] = []
        for source in sources {
            do { compiled.append(try NSRegularExpression(pattern: source)) } catch {
                throw InvalidRegex(pattern: source)
            }
        }
        self.sources = sources
        self.compiled = compiled
    }

    public static let empty = try! RegexList([])

    public struct InvalidRegex: Error, Sendable {
        public var pattern: String
    }

    public var isEmpty: Bool { sources.isEmpty }

    /// The first (source, matched excerpt) for `text`.
    public func firstMatch(in text: String) -> (pattern: String, excerpt: String)? {
        for (source, regex) in zip(sources, compiled) {
            if let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                let range = Range(match.range, in: text)
            {
                return (source, String(text[range].prefix(80)))
            }
        }
        return nil
    }

    public func matches(_ text: String) -> Bool { firstMatch(in: text) != nil }

    public static func == (lhs: RegexList, rhs: RegexList) -> Bool { lhs.sources == rhs.sources }
    public func hash(into hasher: inout Hasher) { hasher.combine(sources) }

    public init(from decoder: any Decoder) throws {
        let sources = try [String](from: decoder)
        do { try self.init(sources) } catch {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: "not a valid regular expression: \(error.pattern)"
                ))
        }
    }

    public func encode(to encoder: any Encoder) throws { try sources.encode(to: encoder) }
}
