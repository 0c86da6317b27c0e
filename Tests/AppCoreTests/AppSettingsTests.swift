import AppCore
import CoreDumps
import CrashStore
import CrashwatchKit
import Foundation
import LogWatch
import TestSupport
import Testing

@Suite struct AppSettingsTests {
    @Test func readsKnownKeys() throws {
        let config = try AppSettings.parse(
            """
            logs = "/srv/trinity/logs"
            playerbot-log = "Playerbots.log"
            theme = "light"
            """, file: "crashwatch.toml")
        #expect(config.logs == "/srv/trinity/logs")
        #expect(config.playerbotLog == "Playerbots.log")
        #expect(config.theme == "light")
    }

    @Test func crashCaptureKeys() throws {
        let config = try AppSettings.parse(
            """
            server-binary = "/srv/trinity/bin/worldserver"
            cores = "/srv/cores"
            run-under-gdb = true
            keep-cores = "all"
            gdb-timeout = 90
            """, file: "crashwatch.toml")
        #expect(config.serverBinary == "/srv/trinity/bin/worldserver")
        #expect(config.cores == "/srv/cores")
        #expect(config.runUnderGdb)
        #expect(config.keepCores == nil)
        #expect(config.gdbRunner.timeout == .seconds(90))
        #expect(AppSettings().keepCores == 3, "by default the last 3 cores of each group are kept")
        for wrong in ["keep-cores = 0", "keep-cores = \"some\"", "run-under-gdb = \"yes\"", "gdb-timeout = 0"] {
            #expect(throws: RuleFileError.self, "\(wrong)") { try AppSettings.parse(wrong, file: "c.toml") }
        }
        #expect(throws: RuleFileError.self) {
            try AppSettings(logs: nil).with(cores: "/no/such/cores").coreFolderWatcher(crashFolder: "/tmp")
        }
    }

    @Test func sharedHistoryAndNotificationKeys() throws {
        let config = try AppSettings.parse(
            """
            history = "postgresql://crashwatch@db-host:5432/crashwatch"
            host-name = "build-host"
            notify = "~/bin/crash-to-discord --channel ops"
            notify-timeout = 20
            notify-interval = 0
            """, file: "crashwatch.toml")
        #expect(config.history == "postgresql://crashwatch@db-host:5432/crashwatch")
        #expect(config.hostName == "build-host")
        #expect(config.notify == "~/bin/crash-to-discord --channel ops")
        #expect(config.notifyTimeout == 20 && config.notifyInterval == 0)
        #expect(try config.historyOrigin() == HistoryOrigin(host: "build-host", realm: nil))
        for wrong in ["host-name = \"two words\"", "realm = \"\"", "notify-timeout = 0", "notify-interval = -1"] {
            #expect(throws: RuleFileError.self, "\(wrong)") { try AppSettings.parse(wrong, file: "c.toml") }
        }
    }

    @Test func theRealmComesFromWorldserverConfUnlessSet() throws {
        let scratch = TemporaryDirectory("cw-conf")
        try FileManager.default.createDirectory(atPath: scratch.file("bin"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: scratch.file("etc"), withIntermediateDirectories: true)
        try """
        [worldserver]
        ###################################
        #    RealmID
        #        Description: ID of the Realm using this config.
        #        Important:   RealmID must match the realmlist inside the auth database.
        #        Default:     1
        RealmID = 2
        DataDir = "/srv/trinity/data"   # quoted, with a comment
        LogsDir = "logs"
        Appender.Server=2,2,0,Server.log,w
        """.write(toFile: scratch.file("etc/worldserver.conf"), atomically: true, encoding: .utf8)
        var config = AppSettings()
        config.serverBinary = scratch.file("bin/worldserver")
        #expect(try config.worldServerConfig()?.values["Appender.Server"] == "2,2,0,Server.log,w")
        #expect(try config.worldServerConfig()?.values["DataDir"] == "/srv/trinity/data")
        #expect(try config.historyOrigin().realm == "2", "found in ../etc beside the binary")
        config.realm = "ptr"
        #expect(try config.historyOrigin().realm == "ptr", "realm in crashwatch.toml wins")
        config.worldserverConf = scratch.file("nope.conf")
        #expect(throws: RuleFileError.self, "a configured conf that cannot be read is said") {
            try config.historyOrigin()
        }
    }

    @Test func unknownKeyIsNamed() {
        do {
            _ = try AppSettings.parse("log = \"/x\"", file: "c.toml")
            Issue.record("an unknown key must be an error")
        } catch {
            #expect(error.file == "c.toml")
            #expect(error.key == "log")
            #expect(error.problem == "unknown key (known keys: \(AppSettings.knownKeys.joined(separator: ", ")))")
            #expect(AppSettings.knownKeys.contains("logs"))
        }
    }

    @Test func wrongTypeIsNamed() {
        #expect(throws: RuleFileError(file: "c.toml", key: "logs", problem: "expected a string")) {
            try AppSettings.parse("logs = 5", file: "c.toml")
        }
    }

    @Test func syntaxErrorGivesTheLine() {
        do {
            _ = try AppSettings.parse("logs = \"/x\"\ntheme = ", file: "c.toml")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("c.toml: not valid TOML at line 2"))
        }
    }

    @Test func explicitConfigThatDoesNotExist() {
        #expect(throws: RuleFileError(file: "/nope/crashwatch.toml", problem: "config file does not exist")) {
            try AppSettings.locate(explicit: "/nope/crashwatch.toml", environment: [:], currentDirectory: "/")
        }
    }

    @Test func missingLogsFolderIsNamed() {
        #expect(throws: RuleFileError(file: "c.toml", key: "logs", problem: "logs folder /nope/logs does not exist")) {
            try LogSourceSpec.panes(logsFolder: "/nope/logs", configFile: "c.toml")
        }
    }

    @Test func botLogNameFollowsWhatExists() throws {
        let folderScratch = TemporaryDirectory("cw-cfg")
        let folder = folderScratch.path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try LogSourceSpec.panes(logsFolder: folder).map(\.title) == ["Server.log", "Playerbot.log"])
        FileManager.default.createFile(atPath: "\(folder)/Playerbots.log", contents: Data())
        #expect(try LogSourceSpec.panes(logsFolder: folder).map(\.title) == ["Server.log", "Playerbots.log"])
    }
}

@Suite struct AppSettingsNumberTests {
    @Test(arguments: [
        ("error-ring-size = 1.5", "error-ring-size: expected a whole number from 1 to 1000000, not 1.5"),
        ("error-ring-size = 0", "error-ring-size: expected a whole number from 1 to 1000000, not 0"),
        ("max-templates = 99999999", "max-templates: expected a whole number from 1 to 1000000, not 99999999"),
        ("escalation-factor = inf", "escalation-factor: expected a number from 1 to 1,000, not inf"),
        ("escalation-factor = nan", "escalation-factor: expected a number from 1 to 1,000, not nan"),
        ("escalation-factor = 0.5", "escalation-factor: expected a number from 1 to 1,000, not 0.5"),
        ("escalation-min-count = \"5\"", "escalation-min-count: expected a whole number from 1 to 100000, not \"5\""),
    ])
    func numbersAreCheckedForTypeAndRange(line: String, message: String) throws {
        #expect(throws: RuleFileError.self) { try AppSettings.parse(line, file: "c.toml") }
        do {
            _ = try AppSettings.parse(line, file: "c.toml")
        } catch {
            #expect(error.description == "c.toml: \(message)")
        }
    }

    @Test func goodNumbersAreKept() throws {
        let settings = try AppSettings.parse(
            "error-ring-size = 800\nescalation-factor = 2.5\nmax-templates = 3000", file: "c.toml")
        #expect(settings.errorRingSize == 800)
        #expect(settings.escalation.factor == 2.5)
        #expect(settings.escalation.maxTemplates == 3000)
    }
}

extension AppSettings {
    fileprivate func with(cores: String) -> AppSettings {
        var copy = self
        copy.cores = cores
        return copy
    }
}
