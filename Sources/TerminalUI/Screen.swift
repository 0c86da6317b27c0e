/// Where frames are shown: a real terminal (`NcursesScreen`) or memory (`InMemoryScreen`).
///
/// The dashboard draws a whole frame into a `CellGrid` and hands it over; a screen only has to show it. That keeps
/// every drawing decision testable without a terminal.
@MainActor
public protocol Screen: AnyObject {
    /// The current size; it changes when the terminal is resized.
    var size: Size { get }
    /// Shows a frame. The grid should have the current `size`; a stale size is clipped or padded.
    func present(_ grid: CellGrid)
    /// The next key pressed, or `nil` when none is waiting. Never blocks.
    func nextKey() -> Key?
    /// True once the user asked the process to stop from outside (Ctrl-C, SIGTERM, SIGHUP).
    var quitRequested: Bool { get }
    // Requirements, not only extension methods: a call through `any Screen` must reach the terminal's own.
    /// Rings the terminal's bell.
    func ringBell()
    /// Sleeps until a key may be waiting or `timeout` passes.
    func waitForInput(timeout: Duration) async
    /// Gives the terminal to another program (an editor) until `resume()`.
    func suspend()
    /// Takes the terminal back after `suspend()`; the next frame is drawn whole.
    func resume()
}

extension Screen {
    public var quitRequested: Bool { false }
    /// Rings the terminal's bell (`bell = true`: an escalation, a new crash group, a regression).
    public func ringBell() {}

    public func suspend() {}
    public func resume() {}

    /// Sleeps until a key may be waiting or `timeout` passes (a screen without input just sleeps).
    public func waitForInput(timeout: Duration) async {
        try? await Task.sleep(for: timeout)
    }
}
