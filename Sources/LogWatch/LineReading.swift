/// How the lines of a log are read: the prefix formats, and the level rules for lines written without a level.
public struct LineReading: Sendable {
    public var parser: LinePrefixParser
    public var levels: LevelRules
    /// Guess levels (from `levels`, then from wording) for lines that carry no level prefix.
    public var infersMissingLevels: Bool

    public init(
        parser: LinePrefixParser = .standard, levels: LevelRules = LevelRules(), infersMissingLevels: Bool = true
    ) {
        self.parser = parser
        self.levels = levels
        self.infersMissingLevels = infersMissingLevels
    }

    /// TrinityCore's and AzerothCore's prefixes, wording alone for unprefixed lines.
    public static let standard = LineReading()
}
