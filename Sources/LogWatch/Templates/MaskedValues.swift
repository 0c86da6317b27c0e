/// The values a template's masks stand for (which bots, quests, spells, IPs), counted per mask, most frequent first.
///
/// Bounded: each mask keeps at most `capacity` distinct values; later new ones are counted as "others".
public struct MaskedValues: Sendable {
    public struct Mask: Sendable {
        /// The mask as the template writes it (`<name>`, `<n>`).
        public var token: String
        public var counts: [String: Int] = [:]
        public var others = 0
    }

    public private(set) var masks: [Mask] = []
    public let capacity: Int

    public init(capacity: Int = 32) {
        self.capacity = capacity
    }

    /// Counts the values of `message` behind the masks of `template`.
    public mutating func record(_ message: Substring, template: String) {
        guard let values = Self.values(of: message, template: template) else { return }
        if masks.isEmpty { masks = values.map { Mask(token: $0.token) } }
        for (index, value) in values.enumerated() where index < masks.count {
            if masks[index].counts[value.text] != nil || masks[index].counts.count < capacity {
                masks[index].counts[value.text, default: 0] += 1
            } else {
                masks[index].others += 1
            }
        }
    }

    /// Each mask's values, most frequent first (at most `limit`).
    public func top(_ limit: Int) -> [(token: String, values: [(text: String, count: Int)], others: Int)] {
        masks.map { mask in
            let sorted = mask.counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            return (
                mask.token, sorted.prefix(limit).map { ($0.key, $0.value) },
                mask.others + sorted.dropFirst(limit).reduce(0) { $0 + $1.value }
            )
        }
    }

    /// The text behind each `<…>` mask of `template` in `message`: the template's fixed pieces are found in order
    /// (the message is the template with the masks filled in); nil when they cannot be.
    static func values(of message: Substring, template: String) -> [(token: String, text: String)]? {
        // The template as fixed text and masks, alternating: literals[0] mask literals[1] mask … literals[n].
        var literals: [String] = [""]
        var tokens: [String] = []
        var rest = template[...]
        while let open = rest.firstIndex(of: "<") {
            literals[literals.count - 1] += rest[..<open]
            if let close = rest[open...].firstIndex(of: ">"), rest.index(after: open) < close,
                rest[rest.index(after: open)..<close].allSatisfy(\.isLetter)
            {
                tokens.append(String(rest[open...close]))
                literals.append("")
                rest = rest[rest.index(after: close)...]
            } else {
                literals[literals.count - 1] += "<"
                rest = rest[rest.index(after: open)...]
            }
        }
        literals[literals.count - 1] += rest
        guard !tokens.isEmpty, message.hasPrefix(literals[0]) else { return nil }
        var position = message.index(message.startIndex, offsetBy: literals[0].count)
        var values: [(String, String)] = []
        for (number, token) in tokens.enumerated() {
            let next = literals[number + 1]
            let end: String.Index
            if number + 1 == tokens.count {
                guard message[position...].hasSuffix(next) else { return nil }
                end = message.index(message.endIndex, offsetBy: -next.count)
            } else {
                // Two masks with nothing between them cannot be told apart.
                guard !next.isEmpty, let found = Self.find(next, in: message[position...]) else { return nil }
                end = found
            }
            guard end >= position else { return nil }
            values.append((token, String(message[position..<end])))
            position = number + 1 == tokens.count ? end : message.index(end, offsetBy: next.count)
        }
        return values
    }

    private static func find(_ needle: String, in text: Substring) -> String.Index? {
        var index = text.startIndex
        while index < text.endIndex {
            if text[index...].hasPrefix(needle) { return index }
            index = text.index(after: index)
        }
        return nil
    }
}
