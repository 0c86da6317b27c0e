public import CoreDumps
public import CrashwatchKit
import Foundation
public import Supervisor

extension AppSettings {
    /// The gdb these settings name, with its time limit.
    public var gdbRunner: Gdb { Gdb(executable: gdb, timeout: .seconds(gdbTimeout)) }

    /// How the supervised server's crashes are caught on Linux: cores, run-under-gdb, gdb, the binary, retention.
    public func applyCrashCapture(to configuration: inout SupervisedEffects.Configuration) {
        configuration.captureCores = captureCores && !runUnderGdb
        configuration.runUnderGdb = runUnderGdb
        configuration.gdb = gdbRunner
        configuration.serverBinary = serverBinary
        configuration.keepCores = keepCores
    }
}

extension AppSettings {
    /// The watcher of the `cores` folder, writing reports into `crashFolder`; nil when no cores folder is set.
    ///
    /// Throws when the folder does not exist or no crash folder is there to write into.
    public func coreFolderWatcher(crashFolder: String?) throws(RuleFileError) -> CoreFolderWatcher? {
        guard let cores else { return nil }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: cores, isDirectory: &isFolder), isFolder.boolValue else {
            throw RuleFileError(file: file, key: "cores", problem: "cores folder \(cores) does not exist")
        }
        guard let crashFolder else {
            throw RuleFileError(
                file: file, key: "cores", problem: "needs a crash folder (crashes = \"…\") to write its reports into")
        }
        let capture = CoreCapture(
            locator: .current(extractFolder: "\(crashFolder)/cores"), gdb: gdbRunner, crashFolder: crashFolder,
            serverBinary: serverBinary)
        return CoreFolderWatcher(folder: cores, capture: capture)
    }
}
