public import CrashwatchKit
import Foundation
public import LogWatch
import TOMLKit

/// The settings in `crashwatch.toml` that the dashboard uses.
///
/// ```toml
/// logs = "/srv/trinity/logs"      # folder holding Server.log and Playerbot.log
/// server-log = "Server.log"       # optional: another name, or a full path
/// playerbot-log = "Playerbots.log"
/// theme = "light"                 # a name from Themes/ or ~/.config/crashwatch/themes, or a path
/// crashes = "/srv/trinity/Crashes" # crash folders to watch (several separated by ":")
/// history = "~/.local/state/crashwatch/history.sqlite"
/// source = "~/TrinityCore"         # the source tree fixes are proposed against (a git repository)
/// build-dir = "~/TrinityCore/build" # holds compile_commands.json: every candidate is compiled with it
/// fix-provider = "my-fixer --json" # optional: a command that proposes patches (Docs/fix-provider.md)
/// reports = "~/crashwatch-reports" # where fix candidates are written as .patch + Markdown
/// server = "./worldserver"         # the supervised loop: the server command (run in server-dir)
/// server-dir = "/srv/trinity/bin"
/// build = "cmake --build build --target worldserver -j2"
/// test = "ctest --test-dir build"   # optional
/// mode = "semi"                     # manual, semi (ask before applying) or auto
/// error-ring-size = 500            # errors kept in the errors pane
/// escalation-factor = 3            # a warning escalates when this minute ≥ factor × its 10-minute average …
/// escalation-min-count = 5         # … and at least this many this minute
/// escalation-lifetime-count = 5    # optional: the old rule instead, "seen this many times"
/// max-templates = 2000             # warning templates tracked (least recent dropped)
/// server-binary = "/srv/trinity/bin/worldserver" # the binary gdb reads symbols from (default: the crashed one)
/// cores = "/srv/cores"              # `watch`: a folder the kernel writes cores into; each is symbolised with gdb
/// capture-cores = true              # the loop: start the server with cores allowed, make a report from its core
/// run-under-gdb = false             # the loop: run the server inside gdb (where cores cannot be turned on)
/// keep-cores = 3                    # cores kept per crash group ("all": never remove one)
/// gdb = "gdb"                       # the gdb to run
/// gdb-timeout = 60                  # seconds gdb may take on one core before it is stopped
/// history = "postgresql://crashwatch@db-host:5432/crashwatch" # a history the team's hosts share (Docs/shared-history.md)
/// host-name = "build-host"          # this machine's name in a shared history (default: the system's)
/// realm = "realm-2"                 # this server's realm (default: RealmID from worldserver.conf)
/// worldserver-conf = "/srv/trinity/etc/worldserver.conf" # default: beside server-binary or in ../etc; its LogsDir,
///                                   # Appender.* and Logger.* say where the logs are and how their lines look
/// bell = true                      # ring the terminal bell for an escalation, a new crash group, a regression
/// mouse = false                     # leave the mouse to the terminal (default: clicks focus and select, wheel scrolls)
/// extra-logs = "DBErrors.log:GM.log" # more logs to follow (the conf's other file appenders are followed anyway)
/// notify = "~/bin/crash-to-discord" # run for each new group, regression, escalation, loop outcome (JSON on stdin)
/// notify-timeout = 10               # seconds the notify command may take
/// notify-interval = 300             # seconds between two notifications of one group or template
/// ```
public struct AppSettings: Sendable, Equatable {
    public var logs: String?
    public var serverLog: String?
    public var playerbotLog: String?
    public var theme: String?
    /// Crash folders to watch (`crashes`, one path or several separated by `:`).
    public var crashes: [String] = []
    /// The history database (`history`).
    public var history: String?
    /// The TrinityCore source tree fixes are made against (`source`).
    public var source: String?
    public var buildDirectory: String?
    /// A command that proposes fixes (`fix-provider`), see Docs/fix-provider.md.
    public var fixProvider: String?
    /// Where fix candidates are written (`reports`).
    public var reports: String?
    /// The supervised loop: the server command and its folder, build and test commands, mode.
    public var server: String?
    public var serverDirectory: String?
    public var build: String?
    public var test: String?
    public var mode: String?
    /// Open a draft pull request with `gh` after the loop fixed a crash (`pull-request = true`).
    public var pullRequest = false
    /// Errors kept in the errors pane.
    public var errorRingSize = 500
    /// How warnings are judged to escalate.
    public var escalation = EscalationConfig()
    public var serverBinary: String?
    public var cores: String?
    public var captureCores = true
    public var runUnderGdb = false
    /// nil: every core is kept.
    public var keepCores: Int? = 3
    public var gdb = "gdb"
    public var gdbTimeout = 60
    /// This machine's name in a shared history (`host-name`).
    public var hostName: String?
    /// This server's realm (`realm`).
    public var realm: String?
    /// Ring the terminal bell for an escalation, a new crash group, a regression (`bell`).
    public var bell = false
    /// Clicks focus and select, the wheel scrolls (`mouse = false`: the terminal keeps the mouse, for selecting text).
    public var mouse = true
    /// More logs to follow as panes (`extra-logs`, `:`-separated, names in the logs folder or paths).
    public var extraLogs: [String] = []
    /// The server's `worldserver.conf` (`worldserver-conf`).
    public var worldserverConf: String?
    /// The command run for each notification (`notify`), see Docs/notifications.md.
    public var notify: String?
    public var notifyTimeout = 10
    public var notifyInterval = 300
    /// The file these settings came from, if any.
    public var file: String?

    public init(logs: String? = nil, serverLog: String? = nil, playerbotLog: String? = nil, theme: String? = nil) {
        self.logs = logs
        self.serverLog = serverLog
        self.playerbotLog = playerbotLog
        self.theme = theme
    }

    public static let knownKeys = [
        "logs", "server-log", "playerbot-log", "theme", "crashes", "history", "source", "build-dir", "fix-provider",
        "reports",
        "server", "server-dir", "build", "test", "mode", "pull-request",
        "error-ring-size", "escalation-factor", "escalation-min-count",
        "escalation-lifetime-count", "max-templates", "server-binary", "cores", "capture-cores", "run-under-gdb",
        "keep-cores", "gdb", "gdb-timeout", "host-name", "realm", "worldserver-conf", "notify", "notify-timeout",
        "notify-interval", "extra-logs", "bell", "mouse",
    ]
    static let numberKeys: Set<String> = [
        "error-ring-size", "escalation-factor", "escalation-min-count", "escalation-lifetime-count", "max-templates",
        "gdb-timeout", "notify-timeout", "notify-interval",
    ]
    static let flagKeys: Set<String> = ["pull-request", "capture-cores", "run-under-gdb", "bell", "mouse"]

    /// The range each whole-number setting must fall in (a ring of ten million errors is a typo, not a wish).
    static let integerRanges: [String: ClosedRange<Int>] = [
        "error-ring-size": 1...1_000_000, "escalation-min-count": 1...100_000,
        "escalation-lifetime-count": 1...100_000_000, "max-templates": 1...1_000_000, "gdb-timeout": 1...3_600,
        "notify-timeout": 1...600, "notify-interval": 0...86_400,
    ]

    /// A finite number in `range`; TOML's `inf` and `nan` are refused with the key named.
    static func number(
        _ value: any TOMLValueConvertible, key: String, in range: ClosedRange<Double>, file: String
    ) throws(RuleFileError) -> Double {
        guard let number = value.int.map(Double.init) ?? value.double, number.isFinite, range.contains(number) else {
            throw RuleFileError(
                file: file, key: key,
                problem:
                    "expected a number from \(range.lowerBound.formatted()) to \(range.upperBound.formatted()), not \(value)"
            )
        }
        return number
    }

    public static func parse(_ text: String, file: String) throws(RuleFileError) -> AppSettings {
        let table = try TOMLFile.parse(text, file: file)
        var config = AppSettings()
        config.file = file
        for (key, value) in table where numberKeys.contains(key) {
            if key == "escalation-factor" {
                config.escalation.factor = try number(value, key: key, in: 1...1_000, file: file)
                continue
            }
            let range = integerRanges[key] ?? 1...1_000_000
            guard let whole = value.int else {
                throw RuleFileError(
                    file: file, key: key,
                    problem: "expected a whole number from \(range.lowerBound) to \(range.upperBound), not \(value)")
            }
            guard range.contains(whole) else {
                throw RuleFileError(
                    file: file, key: key,
                    problem: "expected a whole number from \(range.lowerBound) to \(range.upperBound), not \(whole)")
            }
            switch key {
            case "error-ring-size": config.errorRingSize = whole
            case "escalation-min-count": config.escalation.minimumCount = whole
            case "escalation-lifetime-count": config.escalation.lifetimeCountThreshold = whole
            case "gdb-timeout": config.gdbTimeout = whole
            case "notify-timeout": config.notifyTimeout = whole
            case "notify-interval": config.notifyInterval = whole
            default: config.escalation.maxTemplates = whole
            }
        }
        for (key, value) in table where flagKeys.contains(key) {
            guard let bool = value.bool else {
                throw RuleFileError(file: file, key: key, problem: "expected true or false")
            }
            switch key {
            case "pull-request": config.pullRequest = bool
            case "capture-cores": config.captureCores = bool
            case "bell": config.bell = bool
            case "mouse": config.mouse = bool
            default: config.runUnderGdb = bool
            }
        }
        if let keep = table["keep-cores"] {
            if keep.string == "all" {
                config.keepCores = nil
            } else if let whole = keep.int, (1...1_000).contains(whole) {
                config.keepCores = whole
            } else {
                throw RuleFileError(
                    file: file, key: "keep-cores",
                    problem: "expected a whole number from 1 to 1000, or \"all\", not \(keep)")
            }
        }
        for (key, value) in table where !numberKeys.contains(key) && !flagKeys.contains(key) && key != "keep-cores" {
            guard let string = value.string else {
                if knownKeys.contains(key) { throw RuleFileError(file: file, key: key, problem: "expected a string") }
                throw unknownKey(key, file: file)
            }
            let expanded = expandHome(string)
            switch key {
            case "logs": config.logs = expanded
            case "server-log": config.serverLog = expanded
            case "playerbot-log": config.playerbotLog = expanded
            case "theme": config.theme = expanded
            case "crashes": config.crashes = string.split(separator: ":").map { expandHome(String($0)) }
            case "extra-logs": config.extraLogs = string.split(separator: ":").map { expandHome(String($0)) }
            case "history": config.history = expanded
            case "source": config.source = expanded
            case "build-dir": config.buildDirectory = expanded
            case "fix-provider": config.fixProvider = string
            case "reports": config.reports = expanded
            case "server": config.server = string
            case "server-dir": config.serverDirectory = expanded
            case "build": config.build = string
            case "test": config.test = string
            case "server-binary": config.serverBinary = expanded
            case "cores": config.cores = expanded
            case "gdb": config.gdb = expanded
            case "host-name", "realm":
                guard !string.isEmpty, !string.contains(where: \.isWhitespace) else {
                    throw RuleFileError(
                        file: file, key: key, problem: "expected a name without spaces, not \"\(string)\"")
                }
                if key == "realm" { config.realm = string } else { config.hostName = string }
            case "worldserver-conf": config.worldserverConf = expanded
            case "notify": config.notify = string
            case "mode":
                guard ["manual", "semi", "auto"].contains(string) else {
                    throw RuleFileError(file: file, key: key, problem: "expected manual, semi or auto")
                }
                config.mode = string
            default: throw unknownKey(key, file: file)
            }
        }
        return config
    }

    private static func unknownKey(_ key: String, file: String) -> RuleFileError {
        RuleFileError(file: file, key: key, problem: "unknown key (known keys: \(knownKeys.joined(separator: ", ")))")
    }

    static func expandHome(_ path: String) -> String {
        guard path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] else { return path }
        return home + path.dropFirst(1)
    }

    public static func load(file: String) throws(RuleFileError) -> AppSettings {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw RuleFileError(file: file, problem: "cannot be read (missing or not permitted)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleFileError(file: file, problem: "is not UTF-8 text")
        }
        return try parse(text, file: file)
    }

    /// Finds the config: `--config`, then `./crashwatch.toml`, then `$XDG_CONFIG_HOME/crashwatch/crashwatch.toml`.
    ///
    /// An explicit path that does not exist is an error; no file at the other places means no settings.
    public static func locate(
        explicit: String?, environment: [String: String], currentDirectory: String
    ) throws(RuleFileError) -> AppSettings {
        if let explicit {
            guard FileManager.default.fileExists(atPath: explicit) else {
                throw RuleFileError(file: explicit, problem: "config file does not exist")
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
        return AppSettings()
    }
}

extension AppSettings {
    /// Crash folders: the configured ones, else a `Crashes` folder in or beside the logs folder, if one exists.
    public func crashFolders(logsFolder: String?) -> [String] {
        if !crashes.isEmpty { return crashes }
        guard let logsFolder else { return [] }
        let parent = (logsFolder as NSString).deletingLastPathComponent
        return ["\(logsFolder)/Crashes", "\(parent)/Crashes", "\(parent)/crashes"].filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && isDirectory.boolValue
        }.prefix(1).map { $0 }
    }

    /// `$XDG_STATE_HOME`, else `~/.local/state`: where crashwatch keeps its history, outbox, reports and read marks.
    public static func stateHome(environment: [String: String]) -> String {
        environment["XDG_STATE_HOME"] ?? "\(environment["HOME"] ?? "/tmp")/.local/state"
    }

    /// The reports folder: `reports`, else `$XDG_STATE_HOME/crashwatch/reports`.
    public func reportsFolder(environment: [String: String]) -> String {
        if let reports { return reports }
        let stateHome = AppSettings.stateHome(environment: environment)
        return "\(stateHome)/crashwatch/reports"
    }

    /// The history database: `history`, else `$XDG_STATE_HOME/crashwatch/history.sqlite`.
    public func historyPath(environment: [String: String]) -> String {
        if let history { return history }
        let stateHome = AppSettings.stateHome(environment: environment)
        return "\(stateHome)/crashwatch/history.sqlite"
    }
}
