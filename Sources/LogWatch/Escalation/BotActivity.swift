/// What each bot did last, from Playerbot.log lines that name a bot; bounded to the most recently active bots.
public struct BotActivity: Sendable {
    public struct Action: Sendable, Equatable {
        public var bot: String
        public var text: String
        public var time: Int64
        public var lineNumber: Int
    }

    public let capacity: Int
    public private(set) var latest: [String: Action] = [:]

    public init(capacity: Int = 1_000) {
        self.capacity = capacity
    }

    public mutating func record(_ text: Substring, time: Int64, lineNumber: Int) {
        guard let bot = Self.botName(in: text) else { return }
        if latest[bot] == nil, latest.count >= capacity,
            let oldest = latest.min(by: { $0.value.time < $1.value.time })
        {
            latest[oldest.key] = nil
        }
        latest[bot] = Action(bot: bot, text: String(text), time: time, lineNumber: lineNumber)
    }

    /// Most recent first.
    public var byRecency: [Action] { latest.values.sorted { $0.time != $1.time ? $0.time > $1.time : $0.bot < $1.bot } }

    /// `Bot Aldor …`, `for bot Aldor:` → `Aldor`.
    public static func botName(in text: Substring) -> String? {
        var words = text.split(whereSeparator: { $0 == " " || $0 == ":" || $0 == "," }).makeIterator()
        while let word = words.next() {
            guard word == "Bot" || word == "bot", let name = words.next() else { continue }
            if let first = name.first, first.isUppercase, name.allSatisfy({ $0.isLetter }) { return String(name) }
        }
        return nil
    }
}
