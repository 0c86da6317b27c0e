import Foundation

/// Shell words both ways: quoting arguments into a line to paste, and splitting a `compile_commands.json` `command`
/// back into arguments (POSIX quoting: single quotes, double quotes, backslashes).
public enum ShellWords {
    /// `arguments` quoted for a POSIX shell.
    public static func line(_ arguments: [String]) -> String {
        arguments.map { argument in
            !argument.isEmpty && argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:%@+,".contains($0) }
                ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    /// The words of `command` as a POSIX shell would split them (no expansion).
    public static func split(_ command: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var characters = command.makeIterator()
        var quote: Character?
        while let character = characters.next() {
            if let open = quote {
                if character == open {
                    quote = nil
                } else if open == "\"", character == "\\", let next = characters.next() {
                    current.append(next)
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                inWord = true
            case "\\":
                if let next = characters.next() { current.append(next) }
                inWord = true
            case " ", "\t", "\n":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            default:
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
