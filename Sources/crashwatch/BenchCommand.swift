import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure crashwatch's speed and memory next to a reference command run in the same invocation.",
        subcommands: [
            BenchIngestCommand.self, BenchFollowCommand.self, BenchAnalyzeCommand.self, BenchTemplatesCommand.self,
            BenchInboxCommand.self, BenchHistoryCommand.self, BenchHistoryWriterCommand.self, BenchCoreCommand.self,
            BenchLevelsCommand.self, BenchSearchCommand.self,
        ])
}
