import CPlatform
import Foundation

/// A program run in the terminal's foreground while crashwatch waits, as a shell runs a job: the user's editor on a
/// patch.
public enum ForegroundJob {
    /// The editor the user chose: `$VISUAL`, then `$EDITOR`, then `vi` — a shell word list, as git reads it.
    public static func editor(environment: [String: String]? = nil) -> String {
        let environment = environment ?? ProcessInfo.processInfo.environment
        for name in ["VISUAL", "EDITOR"] {
            if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        }
        return "vi"
    }

    /// Runs `command` on `file` (`sh -c 'command "$1"'`) with the terminal, and returns its exit status (nil when it
    /// could not be started or was killed by a signal).
    public static func run(_ command: String, on file: String) -> Int32? {
        let status = cw_run_in_foreground("\(command) \"$1\"", file)
        guard status >= 0 else { return nil }
        // WIFEXITED / WEXITSTATUS, which are macros Swift cannot call.
        guard status & 0x7f == 0 else { return nil }
        return (status >> 8) & 0xff
    }
}
