import CrashwatchKit
import Foundation
public import LogWatch

/// Keeps each log's last runs (`SavedRuns`) in a small JSON file per log, so that the next start of crashwatch can say
/// what is new in a start-up log since the server's last start.
public struct RunStore: Sendable {
    public let folder: String

    public init(folder: String) { self.folder = folder }

    /// `$XDG_STATE_HOME/crashwatch/runs`.
    public static func standard(environment: [String: String]) -> RunStore {
        RunStore(folder: "\(AppSettings.stateHome(environment: environment))/crashwatch/runs")
    }

    /// The file for a log: its name and a hash of its whole path (two realms' `DBErrors.log` do not share one).
    public func path(forLog logPath: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in logPath.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let name = (logPath as NSString).lastPathComponent
        return "\(folder)/\(name)-\(String(hash, radix: 16)).json"
    }

    /// The saved runs of a log; nil when none were saved or the file cannot be read as such (it is then replaced at
    /// the next save).
    public func load(forLog logPath: String) -> SavedRuns? {
        guard let data = FileManager.default.contents(atPath: path(forLog: logPath)) else { return nil }
        return try? JSONDecoder().decode(SavedRuns.self, from: data)
    }

    /// Writes a log's runs (whole, renamed into place).
    public func save(_ runs: SavedRuns, forLog logPath: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try JSONEncoder().encode(runs).write(to: URL(fileURLWithPath: path(forLog: logPath)), options: .atomic)
    }
}
