import Foundation

/// A TrinityCore or AzerothCore `worldserver.conf`: `Key = value` lines, `#` comments, values quoted or not.
///
/// Only read; crashwatch takes facts from it (the realm, and where the logs are) and never writes it.
public struct WorldServerConfig: Sendable, Equatable {
    public var path: String
    /// The settings as written, keys as they are spelled (`RealmID`, `LogsDir`, `Appender.Server`).
    public var values: [String: String]

    public init(path: String, values: [String: String]) {
        self.path = path
        self.values = values
    }

    /// Reads the file at `path`; nil when it cannot be read.
    public static func load(_ path: String) -> WorldServerConfig? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return WorldServerConfig(path: path, values: parse(String(decoding: data, as: UTF8.self)))
    }

    /// The settings of a conf file's text.
    ///
    /// A later line wins, as in the server's own reader.
    public static func parse(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix("["), let equals = line.firstIndex(of: "=")
            else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\"") {
                value.removeFirst()
                if let close = value.firstIndex(of: "\"") { value = String(value[..<close]) }
            } else if let comment = value.range(of: " #") {
                value = value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            guard !key.isEmpty, !key.contains(" ") else { continue }
            values[key] = value
        }
        return values
    }

    /// `RealmID`, when set.
    public var realmID: String? {
        guard let value = values["RealmID"], !value.isEmpty else { return nil }
        return value
    }

    /// Where the conf usually sits for a server binary: beside it, or in `../etc` (TrinityCore's install layout).
    public static func candidates(serverBinary: String?, serverDirectory: String?) -> [String] {
        var folders: [String] = []
        if let serverBinary { folders.append((serverBinary as NSString).deletingLastPathComponent) }
        if let serverDirectory { folders.append(serverDirectory) }
        return folders.flatMap { folder in
            let parent = (folder as NSString).deletingLastPathComponent
            return ["\(folder)/worldserver.conf", "\(parent)/etc/worldserver.conf"]
        }
    }
}
