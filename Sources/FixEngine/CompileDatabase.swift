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
    /// that includes it, directly or through up to three other headers under `root` (`Socket.h` through
    /// `WorldSocket.h`); the unit beside it with the same name first (`Unit.h` → `Unit.cpp`).
    public func unit(for file: String, headersUnder root: String? = nil) -> Entry? {
        units(for: file, headersUnder: root, limit: 1).first
    }

    /// Up to `limit` units that compile `file`, in the order `unit(for:)` prefers them: another one is tried when
    /// the first does not compile on its own with these flags (a generated header missing, a fork's quirk).
    public func units(for file: String, headersUnder root: String? = nil, limit: Int) -> [Entry] {
        let file = (file as NSString).standardizingPath
        if let entry = entries.first(where: { $0.file == file }) { return [entry] }
        let stem = (((file as NSString).lastPathComponent) as NSString).deletingPathExtension
        let folder = (file as NSString).deletingLastPathComponent
        func isNear(_ entry: Entry) -> Bool {
            (entry.file as NSString).deletingLastPathComponent == folder
                && ((entry.file as NSString).lastPathComponent as NSString).deletingPathExtension == stem
        }
        let ordered = entries.filter(isNear) + entries.filter { !isNear($0) }
        var names: Set<String> = [(file as NSString).lastPathComponent]
        var headers: [(path: String, text: String)]?
        var seen = names
        var found: [Entry] = []
        for _ in 0..<4 {
            for entry in ordered where found.count < limit && !found.contains(where: { $0.file == entry.file }) {
                let includes =
                    (try? String(contentsOfFile: entry.file, encoding: .utf8)).map { Self.includes($0, anyOf: names) }
                    ?? false
                if includes { found.append(entry) }
            }
            if found.count >= limit { return found }
            guard let root else { return found }
            if headers == nil { headers = Self.headers(under: root) }
            let next = Set(
                headers!.filter { Self.includes($0.text, anyOf: names) }.map { ($0.path as NSString).lastPathComponent }
            ).subtracting(seen)
            if next.isEmpty { return found }
            seen.formUnion(next)
            names = next
        }
        return found
    }

    static func includes(_ text: String, anyOf names: Set<String>) -> Bool {
        names.contains { name in
            text.contains("#include \"\(name)\"") || text.contains("/\(name)\"") || text.contains("<\(name)>")
                || text.contains("/\(name)>")
        }
    }

    static func headers(under root: String) -> [(path: String, text: String)] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [(String, String)] = []
        while let path = enumerator.nextObject() as? String {
            if path.hasPrefix(".git") || path.hasPrefix("build") { continue }
            guard path.hasSuffix(".h") || path.hasSuffix(".hpp"),
                let text = try? String(contentsOfFile: "\(root)/\(path)", encoding: .utf8)
            else { continue }
            found.append(("\(root)/\(path)", text))
        }
        return found
    }
}
