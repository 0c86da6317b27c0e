import Foundation
import LogWatch
import SystemPackage
import TerminalUI

/// The live dashboard: follows the logs, reads keys, and draws at most 20 frames a second, only when something changed.
///
/// All state lives in one `DashboardState` on the main actor; each log is read by its own task (a `LogTail`) whose
/// batches are applied to that state. Drawing cost is per frame, never per line, so a chatty server cannot make the
/// view fall behind.
@MainActor
public final class DashboardApp {
    public static let frameInterval = Duration.milliseconds(50)

    private var state: DashboardState
    private let sources: [LogSourceSpec]
    private let theme: Theme
    private var tasks: [Task<Void, Never>] = []

    public init(
        sources: [LogSourceSpec], theme: Theme, triage: TriageModel, startupMessage: StatusMessage? = nil,
        banner: String? = nil
    ) {
        self.sources = sources
        self.theme = theme
        state = DashboardState(
            panes: sources.map { LogPane(title: $0.title, path: $0.path) }, size: Size(width: 80, height: 24),
            triage: triage)
        state.message = startupMessage
        state.banner = banner
    }

    /// Runs until `q`, Ctrl-C, SIGTERM or SIGHUP. The terminal is restored on every way out, thrown errors included.
    public func run() async throws {
        let screen = NcursesScreen(theme: theme)
        defer {
            for task in tasks { task.cancel() }
            screen.end()
        }
        screen.installQuitSignals()
        state.size = screen.size
        for (index, source) in sources.enumerated() {
            let tail = LogTail(path: FilePath(source.path), startAt: .tail(bytes: 8 * 1024 * 1024))
            tasks.append(
                Task { @MainActor [weak self] in
                    for await batch in tail {
                        guard let self else { return }
                        self.state.now = .now
                        self.state.wallSeconds = TriageRules.localWallSeconds()
                        self.state.ingest(batch, into: index)
                    }
                })
        }
        let clock = ContinuousClock()
        var lastFrame = clock.now - Self.frameInterval
        var lastSecond = clock.now
        while !state.shouldQuit && !screen.quitSignalReceived {
            while let key = screen.nextKey() {
                state.handle(key)
                if state.shouldQuit { return }
            }
            let size = screen.size
            if size != state.size {
                state.size = size
                state.needsRedraw = true
            }
            let now = clock.now
            // Rates decay even when nothing arrives: refresh the titles once a second.
            if now - lastSecond >= .seconds(1) {
                lastSecond = now
                state.needsRedraw = true
            }
            if state.needsRedraw && now - lastFrame >= Self.frameInterval {
                state.now = now
                screen.present(DashboardRenderer.render(state))
                state.needsRedraw = false
                lastFrame = now
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
