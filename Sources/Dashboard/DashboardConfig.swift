import Foundation
import TOMLKit

/// The settings in `crashwatch.toml` that the dashboard uses.
///
/// ```toml
/// logs = "/srv/trinity/logs"      # folder holding Server.log and Playerbot.log
/// server-log = "Server.log"       # optional: another name, or a full path
/// playerbot-log = "Playerbots.log"
/// theme = "light"                 # a name from Themes/ or ~/.config/crashwatch/themes, or a path
/// ```
public struct DashboardConfig: Sendable, Equatable {
    public var logs: String?
    public var serverLog: String?
    public var playerbotLog: String?
    public var theme: String?
    /// The file these settings came from, if any.
    public var file: String?

    public init(logs: String? = nil, serverLog: String? = nil, playerbotLog: String? = nil, theme: String? = nil) {
        self.logs = logs
        self.serverLog = serverLog
        self.playerbotLog = playerbotLog
        self.theme = theme
    }

    public static let knownKeys = ["logs", "server-log", "playerbot-log", "theme"]

    public static func parse(_ text: String, file: String) throws(ConfigError) -> DashboardConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(
                file: file,
                problem: "not valid TOML at line \(error.source.begin.line), column \(error.source.begin.column)")
        } catch {
            throw ConfigError(file: file, problem: "not valid TOML (\(error))")
        }
        var config = DashboardConfig()
        config.file = file
        for (key, value) in table {
            guard let string = value.string else {
                if knownKeys.contains(key) { throw ConfigError(file: file, key: key, problem: "expected a string") }
                throw unknownKey(key, file: file)
            }
            let expanded = expandHome(string)
            switch key {
            case "logs": config.logs = expanded
            case "server-log": config.serverLog = expanded
            case "playerbot-log": config.playerbotLog = expanded
            case "theme": config.theme = expanded
            default: throw unknownKey(key, file: file)
            }
        }
        return config
    }

    private static func unknownKey(_ key: String, file: String) -> ConfigError {
        ConfigError(file: file, key: key, problem: "unknown key (known keys: \(knownKeys.joined(separator: ", ")))")
    }

    static func expandHome(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] else { return path }
        return home + path.dropFirst(1)
    }

    public static func load(file: String) throws(ConfigError) -> DashboardConfig {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigError(file: file, problem: "cannot be read (missing or not permitted)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: file, problem: "is not UTF-8 text")
        }
        return try parse(text, file: file)
    }

    /// Finds the config: `--config`, then `./crashwatch.toml`, then `$XDG_CONFIG_HOME/crashwatch/crashwatch.toml`.
    /// An explicit path that does not exist is an error; no file at the other places means no settings.
    public static func locate(
        explicit: String?, environment: [String: String], currentDirectory: String
    ) throws(ConfigError) -> DashboardConfig {
        if let explicit {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw ConfigError(file: explicit, problem: "config file does not exist")
            }
            return try load(file: explicit)
        }
        var candidates = ["\(currentDirectory)/crashwatch.toml"]
        if let configHome = environment["XDG_CONFIG_HOME"] ?? environment["HOME"].map({ "\($0)/.config" }) {
            candidates.append("\(configHome)/crashwatch/crashwatch.toml")
        }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate) {
            return try load(file: candidate)
        }
        return DashboardConfig()
    }
}
