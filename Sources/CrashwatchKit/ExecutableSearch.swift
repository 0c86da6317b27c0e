public import Foundation

/// Where a command would be run from: a path as given, or a name looked up in `PATH`, as a shell does.
public enum ExecutableSearch {
    /// The executable `name` resolves to, or nil when it is not installed.
    public static func find(
        _ name: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
