import Foundation
import LogWatch
import TestSupport
import Testing

@testable import CrashAnalysis

/// The repository's shipped `Rules/` folder, loaded as the app loads it.
enum TestRules {
    static let folder = Repository.rules

    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: "\(folder)/\(relative)", encoding: .utf8)
    }

    static func signatureRules() throws -> SignatureRules {
        var rules = SignatureRules()
        for list in SignatureRules.List.allCases {
            try rules.add(try text("signature/\(list.fileName)"), to: list, file: list.fileName)
        }
        return rules
    }

    static func patternFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: "\(folder)/patterns").filter { $0.hasSuffix(".toml") }
            .sorted()
    }

    static func patterns() throws -> [KnownPattern] {
        try patternFiles().map { try PatternLoader.load(try text("patterns/\($0)"), file: $0) }
    }

    static func components() throws -> ComponentRules {
        var rules = ComponentRules()
        try rules.add(try text("components.txt"), file: "components.txt")
        return rules
    }

    /// The warnings pane's templater, from the shipped `Rules/masking.txt`.
    static func templater() throws -> MessageTemplater {
        var masking = MaskingRules()
        let path = "\(folder)/masking.txt"
        try masking.add(try String(contentsOfFile: path, encoding: .utf8), file: path)
        return MessageTemplater(rules: masking)
    }

    static func analyzer() throws -> CrashAnalyzer {
        CrashAnalyzer(rules: try signatureRules(), patterns: try patterns(), components: try components())
    }

    static func fixture(_ name: String) throws -> String {
        if name.contains("/") {
            let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "txt"))
            return ReportDecoder.decode(try Data(contentsOf: url))
        }
        // Reports the dashboard tests read too are kept once, under Tests/Fixtures/crashes.
        let url =
            Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "txt")
            ?? URL(fileURLWithPath: Repository.sharedFixture("crashes/\(name).txt"))
        return String(decoding: try Data(contentsOf: url), as: UTF8.self)
    }
}
