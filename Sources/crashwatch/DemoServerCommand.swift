import ArgumentParser
import Demo
import Foundation

/// The demo's "worldserver": behaves as the demo tree was last built.
///
/// Hidden; run by `crashwatch demo --headless` and the demo loop.
struct DemoServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-server", abstract: "The simulated worldserver of the demo loop.", shouldDisplay: false)

    @Option(help: "The demo folder (logs, Crashes/, build-state).")
    var folder: String

    @Option(help: "Seconds before the buggy build crashes.")
    var crashAfter: Double = 1.3

    @Option(help: "Seed of the story its logs tell.")
    var seed: UInt64 = 42

    func run() throws {
        try DemoWorldServer.run(folder: folder, crashAfter: crashAfter, seed: seed) { line in
            print(line)
            fflush(nil)
        }
    }
}

/// The demo's "build": checks the demo tree and records what the server will run as.
struct DemoBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-build", abstract: "The simulated build of the demo loop.", shouldDisplay: false)

    @Option(help: "The demo source tree.")
    var tree: String

    @Option(help: "The demo folder (build-state is written there).")
    var folder: String

    func run() throws {
        switch try DemoWorldServer.build(tree: tree, folder: folder) {
        case .failed(let message):
            print(message)
            throw ExitCode(2)
        case .built(let message):
            print(message)
        }
    }
}
