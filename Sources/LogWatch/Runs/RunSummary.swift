/// What one run of the server wrote to one log, by template: how often each appeared and an example.
///
/// Saved between starts of crashwatch, so that the next run of a start-up log (`DBErrors.log` above all) can be
/// compared with it. A run ends at the file's truncation, at the server's start-up banner, or when crashwatch saw the
/// server start again.
public struct RunSummary: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var count: Int
        /// The first line of the template in the run, as written.
        public var example: String
        /// Its line number in the pane that counted it (only meaningful in that session).
        public var firstLine: Int
    }

    /// Lines counted (one per message; continuations are not).
    public private(set) var lineCount = 0
    /// FNV-1a over the counted lines' text, each followed by a newline: tells a run continued from a new one.
    public private(set) var digest: UInt64 = Self.digestSeed
    public private(set) var templates: [String: Entry] = [:]
    /// Lines whose template was not kept because the run already had `templateLimit` of them.
    public private(set) var uncounted = 0
    /// When the run's first counted line was read (local civil seconds), when known.
    public var startedAt: Int64?

    /// A run with more templates than this is not a start-up log any more: the rest are only counted.
    public static let templateLimit = 20_000
    static let digestSeed: UInt64 = 0xcbf2_9ce4_8422_2325

    public init(startedAt: Int64? = nil) { self.startedAt = startedAt }

    public var isEmpty: Bool { lineCount == 0 }

    /// Counts `text` (line `number` of the pane) under `template`.
    public mutating func add(_ text: Substring, template: String, number: Int) {
        lineCount += 1
        for byte in text.utf8 { digest = (digest ^ UInt64(byte)) &* 0x100_0000_01b3 }
        digest = (digest ^ 0x0a) &* 0x100_0000_01b3
        if templates[template] != nil {
            templates[template]!.count += 1
        } else if templates.count < Self.templateLimit {
            templates[template] = Entry(count: 1, example: String(text), firstLine: number)
        } else {
            uncounted += 1
        }
    }
}
