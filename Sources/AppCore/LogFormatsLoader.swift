import Foundation
public import LogWatch

/// Loads `log-formats.txt` from the rule folders (shipped first, then the user's, whose formats are tried after).
public enum LogFormatsLoader {
    /// The parser to use and, when a file was broken or none was found, what to tell the user.
    public static func parser(directories: [String]) -> (LinePrefixParser, String?) {
        var formats: [LogFormat] = []
        for directory in directories {
            let path = "\(directory)/log-formats.txt"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            do {
                formats += try LogFormat.parse(text, file: path)
            } catch {
                return (.standard, "\(error); using the built-in TrinityCore and AzerothCore formats")
            }
        }
        guard !formats.isEmpty else { return (.standard, nil) }
        return (LinePrefixParser(formats: formats), nil)
    }
}
