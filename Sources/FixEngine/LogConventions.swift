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
    /// The log header's `#include` line, when the file logs nothing and does not include it itself: a template's
    /// log line adds it, so the macro is declared wherever the file is compiled from.
    public var missingInclude: String?
    /// Parameter types the tree declares as enums: printed as their number.
    public var enums: Set<String> = []
    /// Where the conventions were read, for the explanation: "as the file logs".
    public var learnedFrom = "as the file logs"

    public static let trinityDefault = LogConventions(macroPrefix: "TC_LOG_", style: .fmt, logger: "misc")

    public init(macroPrefix: String, style: Style, logger: String) {
        self.macroPrefix = macroPrefix
        self.style = style
        self.logger = logger
    }

    /// The conventions of `lines`; TrinityCore's current ones when the file logs nothing.
    public static func detect(in lines: [String]) -> LogConventions {
        calls(in: lines) ?? trinityDefault
    }

    /// The conventions for a log line in `file` of the tree at `root`: its own calls; when it logs nothing, those of
    /// the files beside it, then of its parent folders' (a tree logs one way, and printf-style trees are common);
    /// with the log header's include when the file lacks it, and the enums among `parameterTypes`.
    public static func forFile(_ file: String, lines: [String], root: String, parameterTypes: [String] = [])
        -> LogConventions
    {
        let own = calls(in: lines)
        var conventions: LogConventions
        if let own {
            conventions = own
        } else if let found = nearby(file, root: root) {
            conventions = found
        } else {
            conventions = trinityDefault
            conventions.learnedFrom = "TrinityCore's current style: nothing near the file logs"
        }
        if own == nil, let header = logHeader(in: root),
            !lines.contains(where: { Self.includes($0, header: header) })
        {
            conventions.missingInclude = "#include \"\(header)\""
        }
        conventions.enums = enumTypes(among: parameterTypes, root: root)
        return conventions
    }

    /// Where the missing include goes: after the file's last `#include` before `before` (or its `#pragma once`, or
    /// the top).
    public static func includeLine(in lines: [String], before: Int) -> Int {
        let head = lines.prefix(max(0, min(before, lines.count)))
        return head.lastIndex(where: { $0.hasPrefix("#include") })
            ?? head.firstIndex(where: { $0.hasPrefix("#pragma once") }) ?? -1
    }

    static func includes(_ line: String, header: String) -> Bool {
        let text = line.replacingOccurrences(of: " ", with: "")
        return text.hasPrefix("#include\"\(header)\"") || text.hasPrefix("#include<\(header)>")
            || text.hasPrefix("#include\"") && text.hasSuffix("/\(header)\"")
    }

    /// `Log.h` when the tree has the TrinityCore/AzerothCore logging header.
    static func logHeader(in root: String) -> String? {
        for path in ["src/common/Logging/Log.h", "src/server/shared/Logging/Log.h", "src/shared/Log.h"]
        where FileManager.default.fileExists(atPath: "\(root)/\(path)") {
            return "Log.h"
        }
        return nil
    }

    /// The conventions of the log calls in `file`'s folder, or its parents' up to `root`.
    ///
    /// At each level the folder's own files are read, then those of its subfolders (`game/Combat` logs nothing,
    /// `game/Accounts` beside it does).
    static func nearby(_ file: String, root: String) -> LogConventions? {
        let manager = FileManager.default
        func sources(in path: String) -> [String] {
            ((try? manager.contentsOfDirectory(atPath: path)) ?? []).filter {
                ($0.hasSuffix(".cpp") || $0.hasSuffix(".h")) && $0 != (file as NSString).lastPathComponent
            }.sorted().map { "\(path)/\($0)" }
        }
        func conventions(of files: some Sequence<String>) -> LogConventions? {
            calls(
                in: files.flatMap { path in
                    ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").components(separatedBy: "\n")
                })
        }
        var folder = (file as NSString).deletingLastPathComponent
        while true {
            let path = folder.isEmpty ? root : "\(root)/\(folder)"
            if var found = conventions(of: sources(in: path).prefix(40)) {
                let beside = folder == (file as NSString).deletingLastPathComponent
                // Further away, their style but not their logger: another part's (`sql.sql`) would mislabel the line.
                if !beside { found.logger = trinityDefault.logger }
                found.learnedFrom = "as the files \(beside ? "beside" : "near") it log (it logs nothing itself)"
                return found
            }
            let subfolders = ((try? manager.contentsOfDirectory(atPath: path)) ?? []).sorted().filter { name in
                var isFolder: ObjCBool = false
                return !name.hasPrefix(".") && name != "build"
                    && manager.fileExists(atPath: "\(path)/\(name)", isDirectory: &isFolder) && isFolder.boolValue
            }
            if var found = conventions(
                of: subfolders.lazy.flatMap { sources(in: "\(path)/\($0)").prefix(10) }.prefix(60))
            {
                found.logger = trinityDefault.logger
                found.learnedFrom = "as the files near it log (it logs nothing itself)"
                return found
            }
            if folder.isEmpty { return nil }
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    /// The types among `types` that a header of the tree declares as an enum (`enum DamageEffectType`,
    /// `enum class SpellCastResult : uint8`).
    static func enumTypes(among types: [String], root: String) -> Set<String> {
        let known: Set<String> = ["bool", "int", "float", "double", "char", "void", "long", "unsigned", "short"]
        let names = Set(
            types.map {
                $0.replacingOccurrences(of: "const", with: "").trimmingCharacters(in: .whitespaces)
            }.filter { name in
                !name.isEmpty && !known.contains(name) && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            })
        guard !names.isEmpty, let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: Set<String> = []
        var scanned = 0
        while let path = enumerator.nextObject() as? String, scanned < 20_000, found.count < names.count {
            guard path.hasSuffix(".h") || path.hasSuffix(".hpp"), !path.hasPrefix(".git"), !path.hasPrefix("build/")
            else { continue }
            scanned += 1
            guard let text = try? String(contentsOfFile: "\(root)/\(path)", encoding: .utf8), text.contains("enum")
            else { continue }
            for name in names.subtracting(found)
            where text.range(
                of: #"\benum\s+(?:class\s+|struct\s+)?"# + name + #"\b\s*(?::\s*[\w:]+\s*)?\{"#,
                options: .regularExpression) != nil
            {
                found.insert(name)
            }
        }
        return found
    }

    /// The conventions of the log calls in `lines`, or nil when there are none.
    static func calls(in lines: [String]) -> LogConventions? {
        guard
            let call = try? NSRegularExpression(
                pattern:
                    #"\b(TC_LOG_|LOG_)(ERROR|WARN|INFO|DEBUG|TRACE|FATAL)\s*\(\s*"([^"]+)"\s*,\s*"((?:[^"\\]|\\.)*)""#)
        else { return nil }
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
        guard !loggers.isEmpty else { return nil }
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
        if enums.contains(type) {
            let number = "static_cast<long long>(\(name))"
            return (placeholder, style == .fmt ? number : "std::to_string(\(number)).c_str()")
        }
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
