import AppCore
import ArgumentParser
import Foundation
import TerminalUI

/// Options every command shares: where the config is, and which theme to draw with.
struct CommonOptions: ParsableArguments {
    @Option(
        name: .long, help: "Config file (default: ./crashwatch.toml, then $XDG_CONFIG_HOME/crashwatch/crashwatch.toml)."
    )
    var config: String?

    @Option(name: .long, help: "Theme name (default, light, high-contrast, or your own) or a path to a .toml theme.")
    var theme: String?

    func loadConfig() throws -> AppSettings {
        try AppSettings.locate(
            explicit: config, environment: ProcessInfo.processInfo.environment,
            currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// The theme to use and, when the requested one could not be used, why.
    func resolveTheme(_ config: AppSettings) -> (Theme, warning: String?) {
        let directories = ThemeLoader.searchDirectories(
            environment: ProcessInfo.processInfo.environment,
            executablePath: Bundle.main.executablePath ?? CommandLine.arguments[0])
        let (theme, warning) = ThemeLoader.resolve(theme ?? config.theme, directories: directories)
        return (theme, warning)
    }
}
