public import CrashwatchKit
import Foundation

/// A log file the dashboard follows, with the name its pane shows.
public struct LogSourceSpec: Sendable, Equatable {
    public var title: String
    public var path: String

    public init(title: String, path: String) {
        self.title = title
        self.path = path
    }

    /// The two panes for a logs folder: `Server.log`, and the bot log under whichever name exists
    /// (`Playerbot.log` for the TrinityCore module, `Playerbots.log` for AzerothCore's mod-playerbots).
    ///
    /// - Throws: `RuleFileError` naming the folder when it does not exist or is not a folder.
    public static func panes(
        logsFolder: String?, serverLog: String? = nil, playerbotLog: String? = nil, key: String = "logs",
        configFile: String? = nil
    ) throws(RuleFileError) -> [LogSourceSpec] {
        var isDirectory: ObjCBool = false
        if let logsFolder {
            guard FileManager.default.fileExists(atPath: logsFolder, isDirectory: &isDirectory) else {
                throw RuleFileError(file: configFile, key: key, problem: "logs folder \(logsFolder) does not exist")
            }
            guard isDirectory.boolValue else {
                throw RuleFileError(file: configFile, key: key, problem: "\(logsFolder) is a file, not a folder")
            }
        }
        func resolve(_ name: String) -> String {
            if name.hasPrefix("/") || logsFolder == nil { return name }
            return "\(logsFolder!)/\(name)"
        }
        let server = resolve(serverLog ?? "Server.log")
        let bot: String
        if let playerbotLog {
            bot = resolve(playerbotLog)
        } else {
            let candidates = ["Playerbot.log", "Playerbots.log"].map(resolve)
            bot = candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
        }
        return [
            LogSourceSpec(title: (server as NSString).lastPathComponent, path: server),
            LogSourceSpec(title: (bot as NSString).lastPathComponent, path: bot),
        ]
    }
}
