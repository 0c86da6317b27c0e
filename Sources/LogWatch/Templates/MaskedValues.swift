import CrashwatchKit

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
        if shape?.template != template { shape = (template, Shape(template)) }
        guard let parsed = shape?.shape, let values = Self.values(of: message, shape: parsed) else { return }
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

    /// A template as its fixed pieces and masks, alternating: literals[0] mask literals[1] mask … literals[n].
    struct Shape: Sendable {
        var literals: [[UInt8]]
        var tokens: [String]

        /// Nil when the template has no mask.
        init?(_ template: String) {
            var literals: [[UInt8]] = [[]]
            var tokens: [String] = []
            let bytes = Array(template.utf8)
            var index = 0
            while index < bytes.count {
                if bytes[index] == UInt8(ascii: "<"),
                    let close = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: ">")),
                    close > index + 1,
                    bytes[(index + 1)..<close].allSatisfy({ (0x61...0x7a).contains($0 | 0x20) })
                {
                    tokens.append(String(decoding: bytes[index...close], as: UTF8.self))
                    literals.append([])
                    index = close + 1
                } else {
                    literals[literals.count - 1].append(bytes[index])
                    index += 1
                }
            }
            guard !tokens.isEmpty else { return nil }
            self.literals = literals
            self.tokens = tokens
        }
    }

    /// The shape of the template last recorded, parsed once (a `MaskedValues` serves one template).
    private var shape: (template: String, shape: Shape?)?

    /// The text behind each `<…>` mask of `template` in `message`: the template's fixed pieces are found in order
    /// (the message is the template with the masks filled in); nil when they cannot be.
    static func values(of message: Substring, template: String) -> [(token: String, text: String)]? {
        Shape(template).flatMap { values(of: message, shape: $0) }
    }

    static func values(of message: Substring, shape: Shape) -> [(token: String, text: String)]? {
        var text = message
        return text.withUTF8 { bytes in
            let literals = shape.literals
            guard bytes.count >= literals[0].count, bytes.starts(with: literals[0]) else { return nil }
            var position = literals[0].count
            var values: [(String, String)] = []
            values.reserveCapacity(shape.tokens.count)
            for (number, token) in shape.tokens.enumerated() {
                let next = literals[number + 1]
                let end: Int
                if number + 1 == shape.tokens.count {
                    guard bytes.count - position >= next.count, bytes[(bytes.count - next.count)...].elementsEqual(next)
                    else { return nil }
                    end = bytes.count - next.count
                } else {
                    // Two masks with nothing between them cannot be told apart.
                    guard !next.isEmpty,
                        let found = next.withUnsafeBytes({ needle in
                            ByteSearch.firstOffset(
                                of: needle,
                                in: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(bytes)[position...]))
                        })
                    else { return nil }
                    end = position + found
                }
                guard end >= position else { return nil }
                values.append((token, String(decoding: bytes[position..<end], as: UTF8.self)))
                position = number + 1 == shape.tokens.count ? end : end + next.count
            }
            return values
        }
    }
}
