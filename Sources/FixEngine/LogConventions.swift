import Foundation

/// How a source file logs, read from its own log calls: the macro family (`TC_LOG_…` for TrinityCore, `LOG_…` for
/// AzerothCore), printf-style (`%u`, `%s`, TrinityCore before 2020 and many forks) or fmt-style (`{}`), and the logger
/// the file uses most.
///
/// A template's log line is written the file's way, so it compiles and prints.
public struct LogConventions: Sendable, Equatable {
    public enum Style: Sendable, Equatable { case printf, fmt }

    public var macroPrefix: String
    public var style: Style
    public var logger: String

    public static let trinityDefault = LogConventions(macroPrefix: "TC_LOG_", style: .fmt, logger: "misc")

    public init(macroPrefix: String, style: Style, logger: String) {
        self.macroPrefix = macroPrefix
        self.style = style
        self.logger = logger
    }

    /// The conventions of `lines`; TrinityCore's current ones when the file logs nothing.
    public static func detect(in lines: [String]) -> LogConventions {
        guard
            let call = try? NSRegularExpression(
                pattern:
                    #"\b(TC_LOG_|LOG_)(ERROR|WARN|INFO|DEBUG|TRACE|FATAL)\s*\(\s*"([^"]+)"\s*,\s*"((?:[^"\\]|\\.)*)""#)
        else { return trinityDefault }
        var prefixes: [String: Int] = [:]
        var loggers: [String: Int] = [:]
        var printf = 0
        var fmt = 0
        for line in lines {
            let range = NSRange(line.startIndex..., in: line)
            for match in call.matches(in: line, range: range) {
                guard let prefix = Range(match.range(at: 1), in: line),
                    let logger = Range(match.range(at: 3), in: line),
                    let format = Range(match.range(at: 4), in: line)
                else { continue }
                prefixes[String(line[prefix]), default: 0] += 1
                loggers[String(line[logger]), default: 0] += 1
                let text = line[format]
                if text.contains("{}") || text.contains("{:") { fmt += 1 }
                if text.range(of: #"%[-0-9.]*(l|ll|h|z)?[sudifxXcp]"#, options: .regularExpression) != nil {
                    printf += 1
                }
            }
        }
        guard !loggers.isEmpty else { return trinityDefault }
        func mostFrequent(_ counts: [String: Int]) -> String {
            counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
        }
        return LogConventions(
            macroPrefix: mostFrequent(prefixes), style: printf > fmt ? .printf : .fmt, logger: mostFrequent(loggers))
    }

    /// The placeholder and argument that print `parameter`, or nil when its type does not format safely (a packet,
    /// a container, a smart pointer, a type crashwatch cannot see).
    func format(_ parameter: SourceFunction.Parameter) -> (placeholder: String, argument: String)? {
        let type = parameter.type.replacingOccurrences(of: "const", with: "").replacingOccurrences(of: " ", with: "")
        let name = parameter.name
        let numbers: Set<String> = [
            "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64", "int", "unsigned", "long",
            "size_t", "float", "double", "std::size_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int32_t",
            "int64_t",
        ]
        let placeholder = style == .fmt ? "{}" : "%s"
        if numbers.contains(type) {
            return (placeholder, style == .fmt ? name : "std::to_string(\(name)).c_str()")
        }
        if type == "bool" { return (placeholder, "\(name) ? \"true\" : \"false\"") }
        if type == "ObjectGuid" || type == "ObjectGuid&" {
            return (placeholder, style == .fmt ? "\(name).ToString()" : "\(name).ToString().c_str()")
        }
        if type == "std::string" || type == "std::string&" {
            return (placeholder, style == .fmt ? name : "\(name).c_str()")
        }
        if type == "char*" { return (placeholder, "\(name) ? \(name) : \"(null)\"") }
        if type.hasSuffix("*"), !type.hasSuffix("**") {
            return (style == .fmt ? "{}" : "%p", "static_cast<void const*>(\(name))")
        }
        return nil
    }
}
