public import CrashwatchKit
import Foundation
import TOMLKit

/// Reads themes from TOML files and finds them by name.
///
/// A theme file looks like:
/// ```toml
/// name = "Light"
/// [styles]
/// error = { fg = "red", bold = true }
/// status-bar = { fg = "black", bg = "bright-white" }
/// ```
/// Roles left out keep the built-in look. An unknown role, attribute or colour is an error naming the file and key.
public enum ThemeLoader {
    static let attributeKeys: Set<String> = ["fg", "bg", "bold", "dim", "reverse", "underline"]

    public static func load(contentsOf text: String, file: String) throws(RuleFileError) -> Theme {
        let table = try TOMLFile.parse(text, file: file)
        var theme = Theme(name: (file as NSString).lastPathComponent, styles: [:])
        for (key, value) in table {
            switch key {
            case "name":
                guard let name = value.string else {
                    throw RuleFileError(file: file, key: key, problem: "expected a string")
                }
                theme.name = name
            case "description":
                guard value.string != nil else {
                    throw RuleFileError(file: file, key: key, problem: "expected a string")
                }
            case "styles":
                guard let styles = value.table else {
                    throw RuleFileError(file: file, key: key, problem: "expected a table of roles")
                }
                for (roleName, roleValue) in styles {
                    guard let role = StyleRole(rawValue: roleName) else {
                        let known = StyleRole.allCases.map(\.rawValue).joined(separator: ", ")
                        throw RuleFileError(
                            file: file, key: "styles.\(roleName)", problem: "unknown role (known: \(known))")
                    }
                    theme.styles[role] = try appearance(roleValue, key: "styles.\(roleName)", file: file)
                }
            default:
                throw RuleFileError(file: file, key: key, problem: "unknown key (expected name, description, styles)")
            }
        }
        return theme
    }

    private static func appearance(
        _ value: any TOMLValueConvertible, key: String, file: String
    ) throws(RuleFileError) -> CellAppearance {
        guard let table = value.table else {
            throw RuleFileError(file: file, key: key, problem: "expected a table like { fg = \"red\", bold = true }")
        }
        var look = CellAppearance()
        for (attribute, attributeValue) in table {
            let path = "\(key).\(attribute)"
            switch attribute {
            case "fg", "bg":
                let color = try color(attributeValue, key: path, file: file)
                if attribute == "fg" { look.foreground = color } else { look.background = color }
            case "bold", "dim", "reverse", "underline":
                guard let flag = attributeValue.bool else {
                    throw RuleFileError(file: file, key: path, problem: "expected true or false")
                }
                switch attribute {
                case "bold": look.bold = flag
                case "dim": look.dim = flag
                case "reverse": look.reverse = flag
                default: look.underline = flag
                }
            default:
                throw RuleFileError(
                    file: file, key: path, problem: "unknown attribute (expected fg, bg, bold, dim, reverse, underline)"
                )
            }
        }
        return look
    }

    private static func color(_ value: any TOMLValueConvertible, key: String, file: String) throws(RuleFileError)
        -> TerminalColor
    {
        if let name = value.string, let color = TerminalColor(name: name) { return color }
        if let index = value.int, let color = TerminalColor(index: index) { return color }
        let shown = value.string.map { "\"\($0)\"" } ?? value.int.map(String.init) ?? "this value"
        throw RuleFileError(
            file: file, key: key,
            problem: "unknown colour \(shown) (expected default, a name such as red or bright-blue, or 0–255)")
    }

    /// Loads a theme file from disk.
    public static func load(file: String) throws(RuleFileError) -> Theme {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw RuleFileError(file: file, problem: "cannot be read (missing or not permitted)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleFileError(file: file, problem: "is not UTF-8 text")
        }
        return try load(contentsOf: text, file: file)
    }

    /// Picks a theme by name (`default`, `light`, …) or path, searching `directories` in order.
    ///
    /// Never fails: a missing or broken theme gives the default theme (or the built-in one) plus the message to show.
    public static func resolve(_ nameOrPath: String?, directories: [String]) -> (theme: Theme, warning: String?) {
        let requested = nameOrPath ?? "default"
        var warning: String?
        if requested.contains("/") || requested.hasSuffix(".toml") {
            do { return (try load(file: requested), nil) } catch { warning = "theme \(error); using the default theme" }
        } else if let file = find(requested, in: directories) {
            do { return (try load(file: file), nil) } catch { warning = "theme \(error); using the default theme" }
        } else if requested != "default" {
            warning =
                "theme \"\(requested)\" not found in \(directories.joined(separator: ", ")); using the default theme"
        }
        if let file = find("default", in: directories) {
            do { return (try load(file: file), warning) } catch {
                return (
                    .builtIn,
                    [warning, "theme \(error); using built-in colours"].compactMap { $0 }.joined(separator: "; ")
                )
            }
        }
        return (.builtIn, warning)
    }

    static func find(_ name: String, in directories: [String]) -> String? {
        directories.lazy.map { "\($0)/\(name).toml" }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Where theme files are looked for: the user's folder first, then the folder shipped beside the executable
    /// (walking up from it, which also finds `Themes/` in a source checkout run with `swift run`).
    public static func searchDirectories(environment: [String: String], executablePath: String) -> [String] {
        var directories: [String] = []
        if let explicit = environment["CRASHWATCH_THEMES"] { directories.append(explicit) }
        if let user = DataDirectories.user("themes", environment: environment) { directories.append(user) }
        return directories
            + DataDirectories.shipped("Themes", containing: "default.toml", executablePath: executablePath)
    }
}
