public import CrashAnalysis
public import LogWatch
public import Supervisor

/// A supervised loop for the dashboard to run: its settings and the world it acts on.
public struct LoopSetup: Sendable {
    public var settings: CrashLoop.Settings
    public var configuration: SupervisedEffects.Configuration
    public var analyzer: CrashAnalyzer
    public var modeName: String
    /// Where the Markdown loop report is written at the end.
    public var reportPath: String?
    /// Open a draft pull request with `gh` when the loop fixed the crash.
    public var pullRequest = false
    /// The server's logs, read as evidence when a crash is analysed.
    public var logSources: [LogSourceSpec] = []
    public var reading: LineReading = .standard

    /// What the logs say now, for the analysis of the crash the loop just caught.
    public func evidence() -> LoopEvidence { Self.evidence(logSources, reading: reading)() }

    /// Reads `sources` each time it is called (the loop calls it once per crash).
    public static func evidence(_ sources: [LogSourceSpec], reading: LineReading) -> @Sendable () -> LoopEvidence {
        {
            guard !sources.isEmpty else { return LoopEvidence() }
            let read = LogEvidenceReader.read(sources, reading: reading)
            return LoopEvidence(lines: read.lines, untimed: read.untimed)
        }
    }

    public init(
        settings: CrashLoop.Settings, configuration: SupervisedEffects.Configuration, analyzer: CrashAnalyzer,
        modeName: String, reportPath: String?
    ) {
        self.settings = settings
        self.configuration = configuration
        self.analyzer = analyzer
        self.modeName = modeName
        self.reportPath = reportPath
    }
}
