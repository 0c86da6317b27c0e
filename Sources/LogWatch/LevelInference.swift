/// Guesses a level from the wording of a line written without a level prefix (TrinityCore's default `Server.log`).
///
/// The guess only has to sort lines for colouring and for the `e`/`w` jumps; the status bar says when levels are
/// inferred and how to switch prefixes on.
public enum LevelInference {
    public static func infer(_ message: Substring) -> LogLevel? {
        let lower = message.lowercased()
        for marker in errorMarkers where lower.contains(marker) { return .error }
        for marker in warningMarkers where lower.contains(marker) { return .warn }
        return nil
    }

    static let errorMarkers = [
        "error", "failed", "failure", "exception", "assertion", "crash", "does not exist", "non existing",
        "non-existing", "not found", "can't be loaded", "cannot", "invalid", "hangs for", "fatal",
    ]
    static let warningMarkers = [
        "warning", "warn", "stuck", "slow operation", "deprecated", "skipped", "skip", "no victim", "repeatedly",
        "kicked", "malformed", "not initialized", "none found",
    ]
}
