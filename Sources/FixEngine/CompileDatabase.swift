import CrashwatchKit
public import Foundation

/// The user's own compile commands (`compile_commands.json`, from `cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON`): how each
/// translation unit of their build is compiled, so a candidate patch is checked with their flags.
public struct CompileDatabase: Sendable {
    public struct Entry: Sendable, Equatable {
        public var directory: String
        public var file: String
        public var arguments: [String]
    }

    public let path: String
    public let entries: [Entry]

    public struct LoadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(path: String) throws(LoadError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LoadError(description: "\(path) cannot be read")
        }
        guard let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
            throw LoadError(
                description: "\(path) is not a compile database (a JSON list of {directory, file, command})")
        }
        entries = list.compactMap { item in
            guard let directory = item["directory"] as? String, let file = item["file"] as? String else { return nil }
            let arguments =
                (item["arguments"] as? [String]) ?? (item["command"] as? String).map(ShellWords.split) ?? []
            guard !arguments.isEmpty else { return nil }
            let absolute = file.hasPrefix("/") ? file : "\(directory)/\(file)"
            return Entry(
                directory: directory, file: (absolute as NSString).standardizingPath, arguments: arguments)
        }
        guard !entries.isEmpty else { throw LoadError(description: "\(path) lists no translation unit") }
    }

    /// The database in `buildDirectory`, or the first one under `sourceRoot` (itself, `build*/`, `out/*/`); nil when
    /// there is none.
    ///
    /// A database that exists but cannot be read is an error, never "none".
    public static func find(sourceRoot: String, buildDirectory: String?) throws(LoadError) -> CompileDatabase? {
        if let buildDirectory {
            let path = "\(buildDirectory)/compile_commands.json"
            guard FileManager.default.fileExists(atPath: path) else {
                throw LoadError(
                    description:
                        "no compile_commands.json in build-dir \(buildDirectory) (configure with cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)"
                )
            }
            return try CompileDatabase(path: path)
        }
        var candidates = ["\(sourceRoot)/compile_commands.json"]
        for folder in (try? FileManager.default.contentsOfDirectory(atPath: sourceRoot))?.sorted() ?? []
        where folder.lowercased().hasPrefix("build") || folder == "out" {
            candidates.append("\(sourceRoot)/\(folder)/compile_commands.json")
            for inner in (try? FileManager.default.contentsOfDirectory(atPath: "\(sourceRoot)/\(folder)"))?.sorted()
                ?? []
            {
                candidates.append("\(sourceRoot)/\(folder)/\(inner)/compile_commands.json")
            }
        }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return nil }
        return try CompileDatabase(path: found)
    }

    /// The unit that compiles `file` (an absolute path): itself when it is a unit, otherwise — a header — a unit
    /// that includes it, the one beside it with the same name first (`Unit.h` → `Unit.cpp`).
    public func unit(for file: String) -> Entry? {
        let file = (file as NSString).standardizingPath
        if let entry = entries.first(where: { $0.file == file }) { return entry }
        let name = (file as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension
        let folder = (file as NSString).deletingLastPathComponent
        let ordered = entries.sorted { a, b in
            let aNear =
                (a.file as NSString).deletingLastPathComponent == folder
                && ((a.file as NSString).lastPathComponent as NSString).deletingPathExtension == stem
            let bNear =
                (b.file as NSString).deletingLastPathComponent == folder
                && ((b.file as NSString).lastPathComponent as NSString).deletingPathExtension == stem
            return aNear && !bNear
        }
        return ordered.first { entry in
            guard let text = try? String(contentsOfFile: entry.file, encoding: .utf8) else { return false }
            return text.contains("#include \"\(name)\"") || text.contains("/\(name)\"") || text.contains("<\(name)>")
                || text.contains("/\(name)>")
        }
    }
}
