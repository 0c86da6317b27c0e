public import CrashAnalysis
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
