import CrashwatchKit

/// Guesses a level from the wording of a line written without a level prefix (TrinityCore's default `Server.log`).
///
/// The guess only has to sort lines for colouring and for the `e`/`w` jumps; the status bar says when levels are
/// inferred and how to switch prefixes on.
public enum LevelInference {
    public static func infer(_ message: Substring) -> LogLevel? {
        // Bytes, ASCII-lowercased, searched with ByteSearch: String.lowercased and String.contains cost 150 µs a line,
        // which a chatty unprefixed Server.log cannot afford.
        var lower = Array(message.utf8)
        for index in lower.indices where lower[index] >= 0x41 && lower[index] <= 0x5A { lower[index] |= 0x20 }
        return lower.withUnsafeBytes { text -> LogLevel? in
            func has(_ markers: [[UInt8]]) -> Bool {
                markers.contains { marker in
                    marker.withUnsafeBytes { ByteSearch.firstOffset(of: $0, in: text) != nil }
                }
            }
            // Start-up lines that name a failure mode without being one (`anti-freeze thread (60 seconds max stuck
            // time)`).
            if has(informationBytes) { return nil }
            if has(errorBytes) { return .error }
            if has(warningBytes) { return .warn }
            return nil
        }
    }

    private static let informationBytes = informationMarkers.map { Array($0.utf8) }
    private static let errorBytes = errorMarkers.map { Array($0.utf8) }
    private static let warningBytes = warningMarkers.map { Array($0.utf8) }

    static let errorMarkers = [
        "error", "failed", "failure", "exception", "assertion", "crash", "does not exist", "non existing",
        "non-existing", "not found", "can't be loaded", "cannot", "invalid", "hangs for", "fatal",
        // TC_LOG_ERROR sites that dominate a real realm's unprefixed Server.log.
        "could not trigger", "tried to trigger unknown", "unknown spell", "bad argument #", "): null", "is null",
        // Wording of TC_LOG_ERROR sites across versions: a script or row that cannot be used.
        "malformed", "won't be executed", "will be not added", "did not pass", "doesn't exist", "no core script",
        "but has no code", "has no bot ai", "has wrong", "wrong value", "has different", "could not", "can't ",
        "is missing", "overflow", "non-existed", "non-existent", "nonexistent", "isn't", "unknown", "not exist",
    ]
    static let informationMarkers = ["anti-freeze thread", "max stuck time", ">> loaded ", "world initialized in"]
    static let warningMarkers = [
        "warning", "warn", "stuck", "slow operation", "deprecated", "skipped", "skip", "no victim", "repeatedly",
        "kicked", "not initialized", "none found",
    ]
}
