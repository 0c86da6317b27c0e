public import CrashAnalysis
import CrashwatchKit
import Foundation

/// An external fix provider: a configured command (an AI coding assistant's CLI, a team script) that reads a request
/// JSON on stdin and answers with a response JSON on stdout, within a timeout.
///
/// See `Docs/fix-provider.md`.
public struct FixProvider: Sendable {
    public let command: String
    public var timeout: Duration = .seconds(120)

    public init(command: String) {
        self.command = command
    }

    public struct Request: Codable, Sendable {
        public var schemaVersion = 1
        public var signature: String
        public var groupID: String
        public var faultKind: String
        public var build: String?
        public var frames: [String]
        public var diagnosis: Diagnosis
        /// The report text, cut at 1 MB.
        public var report: String
        /// The code around the top in-app frames, found by function name.
        public var code: [CodeExcerpt]
    }

    public struct CodeExcerpt: Codable, Sendable {
        public var file: String
        public var function: String
        /// 1-based line of the first line of `text`.
        public var startLine: Int
        public var text: String
    }

    public struct Response: Codable, Sendable {
        public var diff: String
        public var explanation: String
        public var confidence: Double
        public var symptomOnly: Bool?
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { "fix provider: \(reason)" }
    }

    /// The request for a crash, with code excerpts from `sourceRoot`.
    public static func request(for result: CrashAnalysisResult, sourceRoot: String) -> Request {
        let locator = SourceLocator(root: sourceRoot)
        var code: [CodeExcerpt] = []
        for name in result.signature.similarityFrames.prefix(3) {
            guard let (function, lines) = try? locator.locate(name) else { continue }
            let start = max(0, function.bodyOpenLine - 10)
            let end = min(lines.count, function.bodyOpenLine + 40)
            code.append(
                CodeExcerpt(
                    file: function.file, function: name, startLine: start + 1,
                    text: lines[start..<end].joined(separator: "\n")))
        }
        return Request(
            signature: result.signature.signature, groupID: result.signature.groupKey,
            faultKind: result.signature.faultKind,
            build: result.report.buildHash, frames: result.signature.normalizedFrames, diagnosis: result.diagnosis,
            report: String(result.report.rawText.prefix(1_000_000)), code: code)
    }

    /// Runs the provider.
    ///
    /// A provider that hangs, crashes or prints something that is not a response is a `Failure`.
    public func propose(_ request: Request) throws(Failure) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let input = try? encoder.encode(request) else {
            throw Failure(reason: "the request could not be encoded")
        }
        let completed: ChildProcess.Completed
        do { completed = try ChildProcess.run(["sh", "-c", command], input: input, timeout: timeout) } catch {
            throw Failure(reason: "cannot start `\(command)`: \(error.reason)")
        }
        if completed.timedOut { throw Failure(reason: "`\(command)` gave no answer within \(timeout) and was stopped") }
        let data = completed.output, errorText = completed.errorText
        guard completed.status == 0 else {
            throw Failure(
                reason:
                    "`\(command)` failed (exit \(completed.status))\(errorText.isEmpty ? "" : ": " + errorText.prefix(300))"
            )
        }
        guard let response = try? JSONDecoder().decode(Response.self, from: data) else {
            throw Failure(
                reason:
                    "`\(command)` printed something that is not a response JSON: \(String(decoding: data.prefix(200), as: UTF8.self))"
            )
        }
        guard !response.diff.isEmpty else { throw Failure(reason: "the response has an empty diff") }
        return response
    }
}
