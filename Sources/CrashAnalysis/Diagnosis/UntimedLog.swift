public import LogWatch

/// The lines of a log whose lines carry no time (TrinityCore's default `Server.log`), split into the server's runs,
/// so that a crash analysed later can be given the lines of the run it ended.
public struct UntimedLog: Sendable {
    public struct Line: Sendable, Codable, Hashable {
        public var level: LogLevel?
        public var text: String

        public init(level: LogLevel?, text: String) {
            self.level = level
            self.text = text
        }
    }

    public var source: String
    /// The last lines of each run, oldest run first; a run starts at the server's start-up banner.
    public var runs: [[Line]]
    /// When the file was last written, on the `LogEvidenceLine.time` scale: the end of its last run.
    public var lastWritten: Int64

    public init(source: String, runs: [[Line]], lastWritten: Int64) {
        self.source = source
        self.runs = runs
        self.lastWritten = lastWritten
    }

    /// Whether `text` starts a run: the first line TrinityCore and AzerothCore write at start-up
    /// (`TrinityCore rev. 5425684 2023-04-06 … (master branch) (…)`).
    public static func startsRun(_ text: Substring) -> Bool {
        // The prefix first: it is asked of every line of the server log, and almost none start with a core's name.
        ["TrinityCore", "AzerothCore", "SkyFire", "Sunstrider", "Firelands"].contains { text.hasPrefix($0) }
            && text.contains(" rev. ") && text.contains(" branch)")
    }
}

/// Lines of an untimed log placed before a crash by the run they belong to.
public struct PlacedRun: Sendable, Codable, Hashable {
    public var source: String
    /// How the lines were placed, said with them ("last 30 lines of the run that was writing when it crashed").
    public var how: String
    public var lines: [UntimedLog.Line]
}
