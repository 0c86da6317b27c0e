/// Everything the engine found about one report.
///
/// Its JSON form is documented in `Docs/analysis-json.md`.
public struct CrashAnalysisResult: Sendable, Codable {
    /// Bumped on any incompatible change of the JSON form.
    public static let schemaVersion = 1

    public var schemaVersion = CrashAnalysisResult.schemaVersion
    public var file: String?
    public var report: CrashReport
    public var signature: CrashSignature
    public var diagnosis: Diagnosis
    public var correlation: LogCorrelation?

    public init(
        file: String?, report: CrashReport, signature: CrashSignature, diagnosis: Diagnosis,
        correlation: LogCorrelation?
    ) {
        self.file = file
        self.report = report
        self.signature = signature
        self.diagnosis = diagnosis
        self.correlation = correlation
    }
}
