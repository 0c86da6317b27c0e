import AppCore
import CrashwatchKit
import Foundation
import LogWatch
import TestSupport
import Testing

/// The logs a server writes, from its own `worldserver.conf` (TrinityCore's shapes: comments, quoted values, spaces
/// after commas, console colours, database appenders, `%s` names, timestamped names, `a`/`w` modes).
@Suite struct ServerLogConfigTests {
    let scratch = TemporaryDirectory("cw-serverlogs")

    static let conf = """
        # Logging (from worldserver.conf.dist)
        LogsDir = "log"
        Appender.Console=1,3,0,"1 9 3 6 5 8"
        Appender.Server=2,2,0,Server.log,w
        Appender.GM=2,2,15,gm_%s.log
        Appender.DBErrors=2,2,0,DBErrors.log,w   # start-up errors
        Appender.Eluna = 2, 5, 3, Eluna.log, a
        Appender.Arena=2,3,8,Arena.log
        Appender.DB=3,5,0
        Appender.Broken=2,x,0,Broken.log
        Logger.root=5,Console Server
        Logger.sql.sql=5,Console DBErrors
        Logger.commands.gm = 3, Console GM
        """

    private func write(_ text: String, _ relative: String) throws -> String {
        let path = scratch.file(relative)
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func appendersLoggersAndLogsDirAreRead() throws {
        let path = try write(Self.conf, "etc/worldserver.conf")
        let conf = ServerLogConfig.read(
            try #require(WorldServerConfig.load(path)), serverDirectory: scratch.file("bin"))
        #expect(conf.logsDirectory == scratch.file("bin/log"))
        #expect(conf.logsDirectoryNote?.contains("relative to the server's working folder") == true)
        #expect(conf.appenders.map(\.name).sorted() == ["Arena", "DBErrors", "Eluna", "GM", "Server"])
        let server = try #require(conf.serverAppender)
        #expect(server.fileName == "Server.log" && server.overwrites && !server.hasLevel && !server.hasTimestamp)
        #expect(server.withPrefixes == "Appender.Server=2,2,7,Server.log,w")
        let eluna = try #require(conf.appenders.first { $0.name == "Eluna" })
        #expect(eluna.hasTimestamp && eluna.hasLevel && !eluna.overwrites && eluna.level == .error)
        #expect(conf.appenders.first { $0.name == "GM" }?.isDynamic == true)
        #expect(conf.otherAppenders.map(\.name).sorted() == ["Arena", "DBErrors", "Eluna"])
        #expect(conf.loggers.first { $0.name == "commands.gm" }?.appenders == ["Console", "GM"])
        #expect(conf.problems.count == 1)
        #expect(conf.problems.first?.contains("Appender.Broken=2,x,0,Broken.log") == true)
    }

    @Test func aTimestampedFileNameIsTheNewestFileOfThatShape() throws {
        let path = try write(
            Self.conf.replacingOccurrences(of: "LogsDir = \"log\"", with: "LogsDir = \"\(scratch.file("logs"))\""),
            "etc/worldserver.conf")
        _ = try write("old", "logs/Arena_2025-10-30_10-00-00.log")
        _ = try write("new", "logs/Arena_2025-10-31_09-00-00.log")
        let conf = ServerLogConfig.read(try #require(WorldServerConfig.load(path)))
        #expect(conf.logsDirectoryNote == nil)
        let arena = try #require(conf.appenders.first { $0.name == "Arena" })
        #expect(conf.path(of: arena) == scratch.file("logs/Arena_2025-10-31_09-00-00.log"))
    }

    @Test func thePanesComeFromTheConfWithTheModulesBotLogAndTheOtherLogs() throws {
        let conf = try write(Self.conf, "etc/worldserver.conf")
        _ = try write(
            "Appender.Playerbots=2,5,0,Playerbots.log,w\nLogger.playerbots=5,Console Playerbots\n",
            "etc/modules/playerbots.conf")
        try FileManager.default.createDirectory(atPath: scratch.file("bin/log"), withIntermediateDirectories: true)
        var settings = AppSettings()
        settings.worldserverConf = conf
        settings.serverDirectory = scratch.file("bin")
        settings.extraLogs = ["Custom.log"]
        let (sources, notes) = try #require(
            try LogSourceSpec.panes(
                settings: settings, logs: nil, serverLog: nil, playerbotLog: nil, key: "--logs", configFile: nil))
        #expect(
            sources.map(\.title) == [
                "Server.log", "Playerbots.log", "Custom.log", "Arena.log", "DBErrors.log", "Eluna.log",
            ])
        #expect(
            sources[0].levelAdvice
                == "in \(conf) change Appender.Server=2,2,0,Server.log,w to Appender.Server=2,2,7,Server.log,w")
        #expect(sources.first { $0.title == "Eluna.log" }?.levelAdvice == nil, "Eluna.log has its level prefix")
        #expect(notes.contains { $0.contains("not followed: GM") })
    }

    @Test func aLogsDirThatDoesNotExistIsSaidWithWhereItWasLookedFor() throws {
        let conf = try write(Self.conf, "etc/worldserver.conf")
        var settings = AppSettings()
        settings.worldserverConf = conf
        #expect {
            _ = try LogSourceSpec.panes(
                settings: settings, logs: nil, serverLog: nil, playerbotLog: nil, key: "--logs", configFile: nil)
        } throws: { error in
            let text = "\(error)"
            return text.contains("LogsDir") && text.contains("\(scratch.file("etc/log")) does not exist")
                && text.contains("logs = ")
        }
    }
}
