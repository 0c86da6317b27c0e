public import CrashAnalysis
public import CrashwatchKit
public import Foundation
import LogWatch

/// Loads the crash-analysis data files (signature lists, components, patterns, and the masking the warnings pane
/// uses, for the warnings before a crash): the shipped `Rules/` folder, then the user's `~/.config/crashwatch/rules/`
/// (rule lines are appended; a user pattern with the same id replaces the shipped one).
public struct RuleLibrary: Sendable {
    public var analyzer: CrashAnalyzer
    /// The folders read, in order.
    public var sources: [String]

    /// - Throws: `RuleFileError` naming the file, line or key of a broken rule or pattern file.
    public static func load(directories: [String]) throws(RuleFileError) -> RuleLibrary {
        var rules = SignatureRules()
        var components = ComponentRules()
        var masking = MaskingRules()
        var patterns: [String: KnownPattern] = [:]
        var order: [String] = []
        for directory in directories {
            for list in SignatureRules.List.allCases {
                let path = "\(directory)/signature/\(list.fileName)"
                if let text = try read(path) { try rules.add(text, to: list, file: path) }
            }
            let componentsPath = "\(directory)/components.txt"
            if let text = try read(componentsPath) { try components.add(text, file: componentsPath) }
            let maskingPath = "\(directory)/masking.txt"
            if let text = try read(maskingPath) { try masking.add(text, file: maskingPath) }
            let patternFolder = "\(directory)/patterns"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: patternFolder)) ?? []
            for name in names.sorted() where name.hasSuffix(".toml") {
                let path = "\(patternFolder)/\(name)"
                guard let text = try read(path) else { continue }
                let pattern = try PatternLoader.load(text, file: path)
                if patterns[pattern.id] == nil { order.append(pattern.id) }
                patterns[pattern.id] = pattern
            }
        }
        if rules.count(.irrelevant) == 0 {
            throw RuleFileError(
                file: directories.first ?? "Rules",
                problem: "no signature rules found (looked in \(directories.joined(separator: ", ")))")
        }
        return RuleLibrary(
            analyzer: CrashAnalyzer(
                rules: rules, patterns: order.compactMap { patterns[$0] }, components: components,
                templater: MessageTemplater(rules: masking.rules.isEmpty ? .numbersAndHex : masking)),
            sources: directories)
    }

    private static func read(_ path: String) throws(RuleFileError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw RuleFileError(file: path, problem: "cannot be read as UTF-8 text")
        }
        return text
    }

    /// The shipped folder and the user's, for this process.
    public static func defaultDirectories(environment: [String: String] = ProcessInfo.processInfo.environment)
        -> [String]
    {
        // The nearest shipped folder only: an install and a checkout above it must not both count.
        var directories = Array(
            DataDirectories.shipped(
                "Rules", containing: "signature/irrelevant.txt", executablePath: DataDirectories.executablePath
            )
            .prefix(1))
        if let user = DataDirectories.user("rules", environment: environment),
            FileManager.default.fileExists(atPath: user)
        {
            directories.append(user)
        }
        if let explicit = environment["CRASHWATCH_RULES"] { directories.append(explicit) }
        return directories
    }
}
