import CrashwatchKit
import Foundation

/// The stable JSON form of an analysis (`crashwatch analyze --json`), described in `Docs/analysis-json.md`.
///
/// A separate type from `CrashAnalysisResult` so the engine's internals can change without changing the schema, and
/// so the raw report text (which can be 100 MB) is summarised rather than copied.
public struct AnalysisDocument: Sendable, Codable, Equatable {
    public struct Exception: Sendable, Codable, Equatable {
        public var code: String?
        public var name: String?
        public var kind: String
        public var faultAddress: String?
        public var faultModule: String?
    }

    public struct Build: Sendable, Codable, Equatable {
        public var revision: String?
        public var hash: String?
    }

    public struct Thread: Sendable, Codable, Equatable {
        public var index: Int?
        public var reason: String
        public var frames: [StackFrame]
    }

    public struct Signature: Sendable, Codable, Equatable {
        public var text: String
        public var groupID: String
        public var algorithmVersion: Int
        public var similarityKey: String
        public var normalizedFrames: [String]
        public var note: String?
    }

    public var schemaVersion: Int
    public var file: String?
    public var format: String
    public var exception: Exception
    public var build: Build
    public var crashTime: String?
    public var assertion: AssertionInfo?
    public var threadCount: Int
    public var crashingThread: Thread
    public var signature: Signature
    public var diagnosis: Diagnosis
    public var correlation: LogCorrelation?
    public var problems: [String]
    public var rawTextBytes: Int

    public init(_ result: CrashAnalysisResult) {
        let report = result.report
        schemaVersion = CrashAnalysisResult.schemaVersion
        file = result.file
        format = report.format.rawValue
        exception = Exception(
            code: report.exceptionCode, name: report.exceptionName, kind: result.signature.faultKind,
            faultAddress: report.faultAddress, faultModule: report.faultModule)
        build = Build(revision: report.revision, hash: report.buildHash)
        crashTime = report.crashTime?.description
        assertion = report.assertion
        threadCount = report.threads.count
        crashingThread = Thread(
            index: report.crashingThreadIndex, reason: report.crashingThreadReason,
            frames: report.crashingThread?.frames ?? [])
        signature = Signature(
            text: result.signature.signature, groupID: result.signature.groupKey,
            algorithmVersion: result.signature.algorithmVersion, similarityKey: result.signature.similarityKey,
            normalizedFrames: result.signature.normalizedFrames, note: result.signature.note)
        diagnosis = result.diagnosis
        correlation = result.correlation
        problems = report.problems
        rawTextBytes = report.rawText.utf8.count
    }

    /// Pretty-printed, keys sorted: the same input always gives the same bytes.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
