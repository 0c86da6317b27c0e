import Foundation

/// Finds a function's definition in a TrinityCore-shaped source tree by its name — never by line number, which drifts
/// with every merge.
public struct SourceLocator: Sendable {
    public let root: String
    /// Files looked at, at most (a TrinityCore tree has about 5,000 sources).
    public var maxFiles = 20_000

    public init(root: String) {
        self.root = root
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case noSourceTree(String)
        case notFound(function: String)
        case unreadable(String)

        public var description: String {
            switch self {
            case .noSourceTree(let root): "source tree \(root) does not exist (set source = \"…\" in crashwatch.toml)"
            case .notFound(let function): "no definition of \(function) found in the source tree"
            case .unreadable(let file): "\(file) cannot be read"
            }
        }
    }

    /// The definition of `function` (`Class::method`), looking first in files named like `hintFile` (`Unit.cpp`).
    public func locate(_ function: String, hintFile: String? = nil) throws(Failure) -> (SourceFunction, [String]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .noSourceTree(root)
        }
        let files = sourceFiles()
        let hint = hintFile.map { ($0 as NSString).lastPathComponent.lowercased() }
        let className = function.split(separator: ":").first.map(String.init)?.lowercased()
        let ordered = files.sorted { a, b in
            rank(a, hint: hint, className: className) < rank(b, hint: hint, className: className)
        }
        for file in ordered {
            guard let text = try? String(contentsOfFile: "\(root)/\(file)", encoding: .utf8) else { continue }
            guard text.contains(function) else { continue }
            let lines = Self.lines(of: text)
            if let found = definition(of: function, in: lines, file: file) { return (found, lines) }
        }
        throw .notFound(function: function)
    }

    /// The lines of a source file without their endings, LF or CRLF (a tree checked out by Git for Windows): in
    /// Swift `"\r\n"` is one character, so splitting on `"\n"` alone would see a CRLF file as one line.
    static func lines(of text: String) -> [String] {
        let normalized = text.contains("\r\n") ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // A final newline ends the last line; it does not start another (a diff must not see an empty line past it).
        if normalized.hasSuffix("\n") { lines.removeLast() }
        return lines
    }

    /// The header declaring `function`'s class: `<Class>.h` beside its source file, or anywhere in the tree.
    public func header(for function: SourceFunction) -> (file: String, lines: [String])? {
        guard let className = function.name.split(separator: ":").first else { return nil }
        let beside = ((function.file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(
            "\(className).h")
        let candidates = [beside] + sourceFiles().filter { ($0 as NSString).lastPathComponent == "\(className).h" }
        for file in candidates {
            guard let text = try? String(contentsOfFile: "\(root)/\(file)", encoding: .utf8) else { continue }
            return (file, Self.lines(of: text))
        }
        return nil
    }

    private func rank(_ file: String, hint: String?, className: String?) -> Int {
        let name = (file as NSString).lastPathComponent.lowercased()
        if let hint, name == hint { return 0 }
        if let className, name == className + ".cpp" { return 1 }
        return name.hasSuffix(".cpp") ? 2 : 3
    }

    private func sourceFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String, files.count < maxFiles {
            if path.hasPrefix(".git") || path.contains("/.git/") || path.hasPrefix("build/") { continue }
            if path.hasSuffix(".cpp") || path.hasSuffix(".h") || path.hasSuffix(".hpp") { files.append(path) }
        }
        return files
    }

    /// A definition starts at column 0 with `ReturnType Class::method(`, its parameter list may span lines, and its
    /// body's `{` follows (on the same line or a later one) before any `;`.
    func definition(of function: String, in lines: [String], file: String) -> SourceFunction? {
        for (index, line) in lines.enumerated() {
            guard let range = line.range(of: function + "("), line.first.map({ !$0.isWhitespace }) == true else {
                continue
            }
            let before = line[..<range.lowerBound]
            guard before.isEmpty || before.last == " " || before.last == "*" || before.last == "&" else { continue }
            // Collect the parameter list up to its closing parenthesis.
            var text = String(line[range.upperBound...])
            var end = index
            while closingParenthesis(text) == nil, end + 1 < lines.count, end - index < 20 {
                end += 1
                text += " " + lines[end].trimmingCharacters(in: .whitespaces)
            }
            guard let close = closingParenthesis(text) else { continue }
            let parameterText = String(text[..<close])
            let after = text[text.index(after: close)...].trimmingCharacters(in: .whitespaces)
            // The body's brace: on this line, or the first non-empty line after.
            var braceLine: Int?
            if after.contains("{") {
                braceLine = end
            } else if after.isEmpty || after == "const" || after == "override" {
                var next = end + 1
                while next < lines.count, lines[next].trimmingCharacters(in: .whitespaces).isEmpty { next += 1 }
                if next < lines.count, lines[next].trimmingCharacters(in: .whitespaces).hasPrefix("{") {
                    braceLine = next
                }
            }
            guard let open = braceLine else { continue }
            var indent = "    "
            if open + 1 < lines.count {
                let body = lines[open + 1]
                let leading = body.prefix(while: { $0 == " " || $0 == "\t" })
                if !leading.isEmpty { indent = String(leading) }
            }
            return SourceFunction(
                file: file, name: function, returnType: before.trimmingCharacters(in: .whitespaces),
                parameters: Self.parameters(parameterText), bodyOpenLine: open, bodyIndent: indent)
        }
        return nil
    }

    private func closingParenthesis(_ text: String) -> String.Index? {
        var depth = 0
        for index in text.indices {
            if text[index] == "(" { depth += 1 }
            if text[index] == ")" {
                if depth == 0 { return index }
                depth -= 1
            }
        }
        return nil
    }

    /// `Unit* attacker, uint32 damage = 0, bool initPlayer /*= true*/` → typed parameters.
    static func parameters(_ text: String) -> [SourceFunction.Parameter] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        for c in text {
            if c == "<" || c == "(" { depth += 1 }
            if c == ">" || c == ")" { depth -= 1 }
            if c == ",", depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.trimmingCharacters(in: .whitespaces).isEmpty { parts.append(current) }
        return parts.compactMap { raw in
            var part = raw
            if let comment = part.range(of: "/*") { part = String(part[..<comment.lowerBound]) }
            if let equals = part.firstIndex(of: "=") { part = String(part[..<equals]) }
            part = part.trimmingCharacters(in: .whitespaces)
            guard let split = part.lastIndex(where: { $0 == " " || $0 == "*" || $0 == "&" }) else { return nil }
            let name = part[part.index(after: split)...].trimmingCharacters(in: .whitespaces)
            let type = part[...split].trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty, !type.isEmpty else { return nil }
            return SourceFunction.Parameter(type: type, name: name)
        }
    }
}
