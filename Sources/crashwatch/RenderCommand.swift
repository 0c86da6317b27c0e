import ArgumentParser
import Dashboard
import TerminalUI

struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Draw one dashboard frame as plain text, without a terminal.",
        discussion: "Reads the logs to their end and prints the frame. With no logs configured it draws the demo.")

    @OptionGroup var common: CommonOptions

    @Option(
        name: .long, help: "Frame size as WIDTHxHEIGHT.",
        transform: { text in
            guard let size = Size(parsing: text) else {
                throw ValidationError("--size must look like 120x40, got \(text)")
            }
            return size
        })
    var size = Size(width: 120, height: 40)

    @Option(name: .long, help: "Folder holding Server.log and Playerbot.log.")
    var logs: String?

    func run() async throws {
        let config = try common.loadConfig()
        let state: DashboardState
        if let folder = logs ?? config.logs {
            let sources = try LogSourceSpec.panes(
                logsFolder: folder, serverLog: config.serverLog, playerbotLog: config.playerbotLog,
                key: logs != nil ? "--logs" : "logs", configFile: logs != nil ? nil : config.file)
            state = DashboardSnapshot.fromFiles(sources, size: size)
        } else {
            state = DashboardSnapshot.demo(size: size)
        }
        print(DashboardRenderer.render(state).text, terminator: "")
    }
}
