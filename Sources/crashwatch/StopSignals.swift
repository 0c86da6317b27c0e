import Dispatch
import Foundation

/// Turns INT, TERM and HUP into one call of `stop` (for the headless loop, which has no terminal to restore but
/// children to stop); the default actions are suspended while it lives.
final class StopSignals {
    private let sources: [any DispatchSourceSignal]

    init(_ stop: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM, SIGHUP].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("crashwatch: stopping what the loop started…\n".utf8))
                stop()
            }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
