public import CrashwatchKit
import Foundation

/// A log file the dashboard follows, with the name its pane shows.
public struct LogSourceSpec: Sendable, Equatable {
    public var title: String
    public var path: String
    /// What to change in the server's conf so that the file's lines carry their level and time (from its
    /// `Appender` line), said while levels are guessed.
    public var levelAdvice: String?

    public init(title: String, path: String, levelAdvice: String? = nil) {
        self.title = title
        self.path = path
        self.levelAdvice = levelAdvice
    }

    /// The panes for the settings, or nil when nothing says where logs are.
    ///
    /// `logs`, `server-log`, `playerbot-log` when given, else what the server's conf says (its `LogsDir` and the files
    /// of its `Server` and Playerbot appenders); then `extra-logs` and the conf's other file appenders. `notes` says
    /// what was read from the conf, and what was left out.
    public static func panes(
        settings: AppSettings, logs: String?, serverLog: String?, playerbotLog: String?, key: String,
        configFile: String?
    ) throws(RuleFileError) -> (sources: [LogSourceSpec], notes: [String])? {
        let conf = try settings.worldServerConfig().map {
            ServerLogConfig.read($0, serverDirectory: settings.serverDirectory, serverBinary: settings.serverBinary)
        }
        var notes = conf?.problems ?? []
        let folder = logs ?? settings.logs ?? conf?.logsDirectory
        let serverLog = serverLog ?? settings.serverLog ?? conf?.serverAppender.map { conf!.path(of: $0) }
        let playerbotLog = playerbotLog ?? settings.playerbotLog ?? conf?.botAppender.map { conf!.path(of: $0) }
        guard folder != nil || serverLog != nil || playerbotLog != nil else { return nil }
        if let conf, logs == nil, settings.logs == nil, let note = conf.logsDirectoryNote,
            !FileManager.default.fileExists(atPath: conf.logsDirectory)
        {
            throw RuleFileError(
                file: conf.files.first, key: "LogsDir", problem: "\(note); \(conf.logsDirectory) does not exist")
        }
        var sources = try Self.panes(
            logsFolder: folder, serverLog: serverLog, playerbotLog: playerbotLog,
            key: logs != nil ? key : settings.logs != nil ? "logs" : "LogsDir",
            configFile: logs != nil ? nil : configFile)
        func resolve(_ name: String) -> String {
            name.hasPrefix("/") || folder == nil ? name : "\(folder!)/\(name)"
        }
        var extras = settings.extraLogs.map(resolve)
        if let conf {
            notes.append(
                "read the logs from \(conf.files.joined(separator: ", ")): \(conf.appenders.count) file appender(s)"
                    + (logs != nil || settings.logs != nil ? " (crashwatch.toml's logs folder wins)" : ""))
            extras += conf.otherAppenders.map { conf.path(of: $0) }
            let dynamic = conf.appenders.filter(\.isDynamic).map(\.name)
            if !dynamic.isEmpty {
                notes.append(
                    "not followed: \(dynamic.joined(separator: ", ")) (one file per %s value); name one in extra-logs")
            }
            for (index, source) in sources.enumerated() {
                guard let appender = conf.appenders.first(where: { conf.path(of: $0) == source.path }),
                    !appender.hasLevel
                else { continue }
                sources[index].levelAdvice =
                    "in \(conf.files.first!) change \(appender.setting) to \(appender.withPrefixes)"
            }
        }
        for path in extras where !sources.contains(where: { $0.path == path }) {
            var source = LogSourceSpec(title: (path as NSString).lastPathComponent, path: path)
            if let conf, let appender = conf.appenders.first(where: { conf.path(of: $0) == path }), !appender.hasLevel {
                source.levelAdvice = "in \(conf.files.first!) change \(appender.setting) to \(appender.withPrefixes)"
            }
            sources.append(source)
        }
        return (sources, notes)
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
