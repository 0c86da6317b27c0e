public import CrashwatchKit
import Foundation
public import LogWatch

/// What a `worldserver.conf` (and a Playerbot module's own conf beside it) says about the server's logs: `LogsDir`,
/// every `Appender.*` and `Logger.*` — so crashwatch knows which files exist, which lines carry a timestamp, a level
/// or a logger, and which files are truncated at each start.
///
/// Format, from TrinityCore's `worldserver.conf.dist`: `Appender.name=Type,LogLevel,Flags[,File[,Mode[,MaxSize]]]`
/// (Type 1 console, 2 file, 3 database; Flags 1 timestamp, 2 level, 4 logger, 8 timestamp in the file name, 16
/// backup; Mode `a` or `w`) and `Logger.name=LogLevel,Appender Appender…`.
public struct ServerLogConfig: Sendable, Equatable {
    public struct FileAppender: Sendable, Equatable {
        /// The name after `Appender.` (`Server`, `DBErrors`).
        public var name: String
        public var level: LogLevel?
        public var flags: Int
        /// The file name as written (`Server.log`, `gm_%s.log`).
        public var fileName: String
        /// `w`: the file is truncated each time the server starts.
        public var overwrites: Bool
        /// The line as written, for messages that say what to change.
        public var setting: String

        public var hasTimestamp: Bool { flags & 1 != 0 }
        public var hasLevel: Bool { flags & 2 != 0 }
        public var hasLogger: Bool { flags & 4 != 0 }
        /// Flag 8: the server adds its start time to the file name, so each run writes a new file.
        public var timestampsFileName: Bool { flags & 8 != 0 }
        /// A `%s` name: one file per value (per GM account, per map), none of which is "the" log.
        public var isDynamic: Bool { fileName.contains("%s") }

        /// The same appender with timestamp, level and logger prefixes on: what to write instead of `setting`.
        public var withPrefixes: String {
            let fields = setting.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count >= 3 else { return setting }
            var changed = fields
            changed[2] = String((Int(fields[2]) ?? 0) | 7)
            return changed.joined(separator: ",")
        }
    }

    public struct Logger: Sendable, Equatable {
        public var name: String
        public var level: LogLevel?
        public var appenders: [String]
    }

    /// The conf read (and the module confs beside it).
    public var files: [String]
    /// `LogsDir` resolved to a folder, and how (said when it does not exist).
    public var logsDirectory: String
    public var logsDirectoryNote: String?
    public var appenders: [FileAppender]
    public var loggers: [Logger]
    /// Lines that could not be understood, each naming its key and file.
    public var problems: [String]

    /// Reads the appenders and loggers of `conf` and of the Playerbot module confs beside it.
    ///
    /// Module confs: `playerbots.conf` or `Playerbot.conf`, in the conf's folder or `modules/`. A relative `LogsDir`
    /// is the server's working folder's: `serverDirectory`, else the folder of `serverBinary`, else the conf's own.
    public static func read(_ conf: WorldServerConfig, serverDirectory: String? = nil, serverBinary: String? = nil)
        -> ServerLogConfig
    {
        var values = conf.values
        var files = [conf.path]
        let folder = (conf.path as NSString).deletingLastPathComponent
        let names = ["playerbots.conf", "Playerbot.conf", "playerbot.conf", "Playerbots.conf"]
        for candidate in names.flatMap({ ["\(folder)/\($0)", "\(folder)/modules/\($0)"] }) {
            guard let module = WorldServerConfig.load(candidate) else { continue }
            files.append(candidate)
            for (key, value) in module.values where key.hasPrefix("Appender.") || key.hasPrefix("Logger.") {
                values[key] = value
            }
        }
        var problems: [String] = []
        let logsDir = values["LogsDir"] ?? ""
        let base = serverDirectory ?? serverBinary.map { ($0 as NSString).deletingLastPathComponent } ?? folder
        let logsDirectory: String
        var note: String?
        if logsDir.hasPrefix("/") {
            logsDirectory = logsDir
        } else {
            logsDirectory = logsDir.isEmpty ? base : "\(base)/\(logsDir)"
            let against =
                serverDirectory != nil
                ? "server-dir" : serverBinary != nil ? "the folder of server-binary" : "the conf's own folder"
            note =
                "LogsDir \"\(logsDir)\" in \(conf.path) is relative to the server's working folder; read against \(against) (\(base)); set logs = \"…\" in crashwatch.toml if the server runs elsewhere"
        }
        var appenders: [FileAppender] = []
        for (key, value) in values.sorted(by: { $0.key < $1.key }) where key.hasPrefix("Appender.") {
            let name = String(key.dropFirst("Appender.".count))
            let fields = value.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard fields.count >= 3, let type = Int(fields[0]), let level = Int(fields[1]), let flags = Int(fields[2])
            else {
                problems.append(
                    "\(key)=\(value) in \(conf.path) is not Type,LogLevel,Flags[,File,Mode]; that appender is left out")
                continue
            }
            guard type == 2 else { continue }
            guard fields.count >= 4, !fields[3].isEmpty else {
                problems.append("\(key)=\(value) in \(conf.path) is a file appender without a file name; left out")
                continue
            }
            let mode = fields.count >= 5 ? fields[4].lowercased() : "a"
            if !["a", "w", ""].contains(mode) {
                problems.append("\(key)=\(value) in \(conf.path): mode \(fields[4]) is neither a nor w; read as a")
            }
            appenders.append(
                FileAppender(
                    name: name, level: LogLevel(rawValue: level), flags: flags,
                    fileName: fields[3].trimmingCharacters(in: CharacterSet(charactersIn: "\"")),
                    overwrites: mode == "w", setting: "\(key)=\(value)"))
        }
        var loggers: [Logger] = []
        for (key, value) in values.sorted(by: { $0.key < $1.key }) where key.hasPrefix("Logger.") {
            let fields = value.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let level = fields.first.flatMap({ Int($0) }) else {
                problems.append("\(key)=\(value) in \(conf.path) is not LogLevel,Appender…; that logger is left out")
                continue
            }
            let targets = fields.count > 1 ? fields[1].split(separator: " ").map(String.init) : []
            loggers.append(
                Logger(
                    name: String(key.dropFirst("Logger.".count)), level: LogLevel(rawValue: level), appenders: targets))
        }
        return ServerLogConfig(
            files: files, logsDirectory: logsDirectory, logsDirectoryNote: note, appenders: appenders,
            loggers: loggers, problems: problems)
    }

    /// The appender writing the server's main log: the one called `Server`, else the file appender of `Logger.root`.
    public var serverAppender: FileAppender? {
        if let server = appenders.first(where: { $0.name == "Server" && !$0.isDynamic }) { return server }
        let rootTargets = loggers.first { $0.name == "root" }?.appenders ?? []
        return appenders.first { rootTargets.contains($0.name) && !$0.isDynamic }
    }

    /// The Playerbot module's log appender (`Playerbot`, `Playerbots`).
    public var botAppender: FileAppender? {
        appenders.first { $0.name.lowercased().hasPrefix("playerbot") && !$0.isDynamic }
    }

    /// The other logs the server writes, as panes can follow them (not the server's or the bot's, not `%s` ones).
    public var otherAppenders: [FileAppender] {
        appenders.filter { $0 != serverAppender && $0 != botAppender && !$0.isDynamic }
    }

    /// The file `appender` writes now: its name in the logs folder, or, when the server puts its start time in the
    /// name (flag 8), the newest file of that shape there.
    public func path(of appender: FileAppender) -> String {
        let plain = appender.fileName.hasPrefix("/") ? appender.fileName : "\(logsDirectory)/\(appender.fileName)"
        guard appender.timestampsFileName else { return plain }
        let name = (plain as NSString).lastPathComponent
        let folder = (plain as NSString).deletingLastPathComponent
        let stem = (name as NSString).deletingPathExtension
        let suffix = (name as NSString).pathExtension
        let candidates = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            $0.hasPrefix(stem) && (suffix.isEmpty || $0.hasSuffix(".\(suffix)"))
        }
        // The start time in the name sorts by time.
        return candidates.max().map { "\(folder)/\($0)" } ?? plain
    }
}
