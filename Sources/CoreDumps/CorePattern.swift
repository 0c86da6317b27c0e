public import Foundation

/// Where the kernel puts a core, from `/proc/sys/kernel/core_pattern`: a file pattern (`core`, `core.%p`,
/// `/srv/cores/core.%e.%p.%t`), or a pipe to a collector (systemd-coredump, apport, anything else).
public enum CorePattern: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case systemdCoredump
    case apport
    case otherPipe(String)

    public static let kernelFile = "/proc/sys/kernel/core_pattern"

    public init(text: String) {
        let pattern = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard pattern.hasPrefix("|") else {
            self = .file(pattern.isEmpty ? "core" : pattern)
            return
        }
        if pattern.contains("systemd-coredump") {
            self = .systemdCoredump
        } else if pattern.contains("apport") {
            self = .apport
        } else {
            self = .otherPipe(String(pattern.dropFirst()))
        }
    }

    /// The machine's pattern, or nil when `/proc` does not say (not Linux).
    public static func current() -> CorePattern? {
        (try? String(contentsOfFile: kernelFile, encoding: .utf8)).map(CorePattern.init(text:))
    }

    /// Whether the kernel appends `.PID` to a pattern without `%p` (`/proc/sys/kernel/core_uses_pid`).
    public static func currentUsesPID() -> Bool {
        (try? String(contentsOfFile: "/proc/sys/kernel/core_uses_pid", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    public var description: String {
        switch self {
        case .file(let pattern): pattern
        case .systemdCoredump: "|systemd-coredump"
        case .apport: "|apport"
        case .otherPipe(let command): "|\(command)"
        }
    }

    /// For a file pattern: the folder a core of `process` lands in and a matcher for its file name.
    ///
    /// Specifiers crashwatch knows after the fact (`%p`, `%e`, `%E`, `%f`, `%%`) are filled in; the others (`%t`
    /// time, `%h` host, `%u` uid, `%s` signal, …) match any text. A relative pattern is relative to the crashing
    /// process's working directory. Nil for a pipe, or a folder part that depends on an unknown specifier.
    public func location(for process: ProcessSnapshot, usesPID: Bool) -> (folder: String, name: NSRegularExpression)? {
        guard case .file(var pattern) = self else { return nil }
        if usesPID, !pattern.contains("%p") { pattern += ".%p" }
        let slash = pattern.lastIndex(of: "/")
        let folderPart = slash.map { String(pattern[..<$0]) } ?? ""
        let namePart = slash.map { String(pattern[pattern.index(after: $0)...]) } ?? pattern
        guard let folderText = Self.expand(folderPart, for: process, literal: true) else { return nil }
        let base = process.workingDirectory ?? FileManager.default.currentDirectoryPath
        let folder =
            folderText.hasPrefix("/") ? folderText : folderText.isEmpty ? base : "\(base)/\(folderText)"
        guard let nameText = Self.expand(namePart, for: process, literal: false),
            let regex = try? NSRegularExpression(pattern: "^\(nameText)$")
        else { return nil }
        return (folder.isEmpty ? "/" : folder, regex)
    }

    /// Fills in the specifiers; `literal` (a folder) refuses unknown ones, otherwise the result is a regex.
    static func expand(_ part: String, for process: ProcessSnapshot, literal: Bool) -> String? {
        func text(_ value: String) -> String { literal ? value : NSRegularExpression.escapedPattern(for: value) }
        var result = ""
        var characters = part.makeIterator()
        while let character = characters.next() {
            guard character == "%" else {
                result += text(String(character))
                continue
            }
            guard let specifier = characters.next() else { break }
            let executable = process.executable ?? ""
            switch specifier {
            case "%": result += text("%")
            // A process never seen alive (it died before its first look) has PID 0 and no name: any match.
            case "p", "i":
                if process.pid == 0 {
                    if literal { return nil }
                    result += "[0-9]+"
                } else {
                    result += text("\(process.pid)")
                }
            // The kernel writes `!` for `/` in names it puts into a path.
            case "e":
                if process.command.isEmpty {
                    if literal { return nil }
                    result += "[^/]*"
                } else {
                    result += text(process.command.replacingOccurrences(of: "/", with: "!"))
                }
            case "E":
                if executable.isEmpty {
                    if literal { return nil }
                    result += "[^/]*"
                } else {
                    result += text(executable.replacingOccurrences(of: "/", with: "!"))
                }
            case "f": result += text((executable as NSString).lastPathComponent)
            default:
                if literal { return nil }
                result += "[^/]*"
            }
        }
        return result
    }
}
