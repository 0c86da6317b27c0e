import Foundation

/// Finds the folders of data files crashwatch ships (`Themes/`, `Rules/`) and the user's own.
///
/// The shipped folder is looked for beside the executable and in the folders above it (which finds the checkout's
/// folder under `swift run` and `share/crashwatch/<folder>` in an install); SwiftPM resources are not used because
/// `Bundle.module` traps when its bundle has been left behind.
public enum DataDirectories {
    /// The user's folder for `subfolder`: `$XDG_CONFIG_HOME/crashwatch/<subfolder>` (or `~/.config/…`).
    public static func user(_ subfolder: String, environment: [String: String]) -> String? {
        let configHome = environment["XDG_CONFIG_HOME"] ?? environment["HOME"].map { "\($0)/.config" }
        return configHome.map { "\($0)/crashwatch/\(subfolder)" }
    }

    /// Shipped folders named `folder` that contain `marker`, nearest to the executable first.
    public static func shipped(_ folder: String, containing marker: String, executablePath: String) -> [String] {
        var found: [String] = []
        var directory = (executablePath as NSString).deletingLastPathComponent
        for _ in 0..<5 where !directory.isEmpty && directory != "/" {
            for candidate in ["\(directory)/\(folder)", "\(directory)/share/crashwatch/\(folder)"]
            where FileManager.default.fileExists(atPath: "\(candidate)/\(marker)") {
                found.append(candidate)
            }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return found
    }

    /// The running executable's path.
    public static var executablePath: String { Bundle.main.executablePath ?? CommandLine.arguments[0] }
}
