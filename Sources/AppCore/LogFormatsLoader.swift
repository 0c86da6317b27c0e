import Foundation
public import LogWatch

/// Loads how logs are read from the rule folders (shipped first, then the user's): `log-formats.txt` (the user's
/// formats are tried after the shipped ones) and the level rules `levels.txt` and `levels-*.txt` (the user's win
/// over shipped ones of the same shape).
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

    /// The level rules of `directories`; a broken file is left out and named in the message (the others still count).
    public static func levels(directories: [String]) -> (LevelRules, String?) {
        var levels = LevelRules()
        var problems: [String] = []
        for directory in directories {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for name in names.sorted()
            where name == "levels.txt" || (name.hasPrefix("levels-") && name.hasSuffix(".txt")) {
                let path = "\(directory)/\(name)"
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    problems.append("\(path) cannot be read as UTF-8 text")
                    continue
                }
                var withFile = levels
                do {
                    try withFile.add(text, file: path)
                    levels = withFile
                } catch {
                    problems.append("\(error); that file is left out")
                }
            }
        }
        return (levels, problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    /// Formats and level rules together, with what to tell the user about either.
    public static func reading(directories: [String]) -> (LineReading, String?) {
        let (parser, formatsProblem) = self.parser(directories: directories)
        let (levels, levelsProblem) = self.levels(directories: directories)
        let problems = [formatsProblem, levelsProblem].compactMap(\.self)
        return (LineReading(parser: parser, levels: levels), problems.isEmpty ? nil : problems.joined(separator: "; "))
    }
}
