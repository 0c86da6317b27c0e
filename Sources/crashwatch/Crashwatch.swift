import ArgumentParser

@main
struct Crashwatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crashwatch",
        abstract: "A live dashboard for a TrinityCore worldserver with the Playerbot module.",
        discussion: """
            With no command, `watch` runs: it follows the logs named by --logs or crashwatch.toml, or shows the demo \
            when nothing is configured.
            """,
        subcommands: [
            WatchCommand.self, DemoCommand.self, AnalyzeCommand.self, ProposeCommand.self, HistoryCommand.self,
            ImportCommand.self,
            RenderCommand.self,
            LoopCommand.self, BenchCommand.self, DemoServerCommand.self, DemoBuildCommand.self,
        ],
        defaultSubcommand: WatchCommand.self)
}
