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
    ///
    /// Found as the frame names it, and also: a template class's member (`Socket<T>::CloseSocket` is
    /// `Socket<T>::CloseSocket(` or `Socket<SocketType>::CloseSocket(`), a frame qualified by a namespace the file
    /// opens instead (`Playerbot::PlayerbotAI::Attack` in `namespace Playerbot { … }`), a method defined inside its
    /// class body in a header, and a method the class inherits (`Unit::CastSpell` is `WorldObject::CastSpell` on
    /// 3.3.5), through the bases the tree declares.
    public func locate(_ function: String, hintFile: String? = nil) throws(Failure) -> (SourceFunction, [String]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .noSourceTree(root)
        }
        let files = sourceFiles()
        let hint = hintFile.map { ($0 as NSString).lastPathComponent.lowercased() }
        var texts: [String: String] = [:]
        func text(_ file: String) -> String? {
            if let cached = texts[file] { return cached }
            let read = try? String(contentsOfFile: "\(root)/\(file)", encoding: .utf8)
            texts[file] = read
            return read
        }
        var tried: Set<String> = []
        var queue = Self.spellings(of: function)
        // An ASSERT names the bare method (`_CreateAuraApplication` in Unit.cpp): its class is whatever qualifies the
        // definition in that file.
        if !function.contains("::"), let hint {
            for file in files where (file as NSString).lastPathComponent.lowercased() == hint {
                guard let text = text(file) else { continue }
                if let qualifier = Self.qualifier(ofDefinitionOf: function, in: Self.lines(of: text)) {
                    queue = [(qualifier, function)]
                    break
                }
            }
        }
        while !queue.isEmpty, tried.count < 12 {
            let (className, method) = queue.removeFirst()
            guard tried.insert("\(className)::\(method)").inserted else { continue }
            let ordered = files.sorted { a, b in
                rank(a, hint: hint, className: className.lowercased())
                    < rank(b, hint: hint, className: className.lowercased())
            }
            for file in ordered {
                guard let text = text(file), text.contains(method + "("), text.contains(className) else { continue }
                let lines = Self.lines(of: text)
                if let found = definition(className: className, method: method, in: lines, file: file) {
                    return (found, lines)
                }
            }
            for file in ordered where file.hasSuffix(".h") || file.hasSuffix(".hpp") {
                guard let text = text(file), text.contains(method + "("), text.contains(className) else { continue }
                let lines = Self.lines(of: text)
                if let found = inClassDefinition(className: className, method: method, in: lines, file: file) {
                    return (found, lines)
                }
            }
            // Not defined in this class: perhaps in a base the tree declares for it.
            for base in baseClasses(of: className, files: files, text: text) { queue.append((base, method)) }
        }
        throw .notFound(function: function)
    }

    /// The same function in another version of its file (the report's build): by the name it was found under.
    public func find(_ function: SourceFunction, in lines: [String]) -> SourceFunction? {
        var parts = function.name.components(separatedBy: "::")
        guard parts.count >= 2, let method = parts.popLast() else { return nil }
        let className = parts.joined(separator: "::")
        return definition(className: className, method: method, in: lines, file: function.file)
            ?? inClassDefinition(className: className, method: method, in: lines, file: function.file)
    }

    /// The class a column-0 definition `… Class::method(` in `lines` names, without template arguments.
    static func qualifier(ofDefinitionOf method: String, in lines: [String]) -> String? {
        for line in lines where line.first.map({ !$0.isWhitespace }) == true {
            guard let call = line.range(of: "::" + method + "(") else { continue }
            let head = line[..<call.lowerBound]
            let word = head.split(whereSeparator: { $0 == " " || $0 == "*" || $0 == "&" || $0 == "\t" }).last
            if let word, !word.isEmpty { return withoutTemplateArguments(String(word)) }
        }
        return nil
    }

    /// `(class, method)` pairs to look for: as named, without template arguments, without leading namespaces.
    static func spellings(of function: String) -> [(String, String)] {
        var parts = function.components(separatedBy: "::")
        guard parts.count >= 2, let method = parts.popLast() else { return [(function, function)] }
        var result: [(String, String)] = []
        while !parts.isEmpty {
            let qualified = parts.joined(separator: "::")
            result.append((Self.withoutTemplateArguments(qualified), method))
            parts.removeFirst()
        }
        return result
    }

    static func withoutTemplateArguments(_ name: String) -> String {
        var result = ""
        var depth = 0
        for character in name {
            if character == "<" {
                depth += 1
            } else if character == ">" {
                depth = max(0, depth - 1)
            } else if depth == 0 {
                result.append(character)
            }
        }
        return result
    }

    /// The bases `class Name : public A, protected B<T>` declares, without template arguments.
    func baseClasses(of className: String, files: [String], text: (String) -> String?) -> [String] {
        let simple = className.components(separatedBy: "::").last ?? className
        let pattern =
            "(class|struct)\\s+(?:\\w+\\s+)*\\b\(NSRegularExpression.escapedPattern(for: simple))\\b[^;{(]*:\\s*([^{;]+)"
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        for file in files where file.hasSuffix(".h") || file.hasSuffix(".hpp") {
            guard let source = text(file), source.contains(simple) else { continue }
            let range = NSRange(source.startIndex..., in: source)
            guard let match = regex.firstMatch(in: source, range: range),
                let list = Range(match.range(at: 2), in: source)
            else { continue }
            return Self.withoutTemplateArguments(String(source[list])).split(separator: ",").compactMap { part in
                part.split(separator: " ").last(where: { !["public", "protected", "private", "virtual"].contains($0) })
                    .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            }.filter { !$0.isEmpty }
        }
        return []
    }

    /// A method defined inside its class's body: `class Aura { … Unit* GetUnitOwner() const { … } … };`.
    func inClassDefinition(className: String, method: String, in lines: [String], file: String) -> SourceFunction? {
        let simple = className.components(separatedBy: "::").last ?? className
        guard
            let declaration = try? NSRegularExpression(
                pattern:
                    "^\\s*(template\\s*<.*>\\s*)?(class|struct)\\s+(\\w+\\s+)*\(NSRegularExpression.escapedPattern(for: simple))\\b[^;]*$"
            )
        else { return nil }
        for (start, line) in lines.enumerated()
        where declaration.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil {
            var depth = 0
            var opened = false
            for index in start..<lines.count {
                let text = lines[index]
                if opened, depth == 1,
                    let found = memberDefinition(method, at: index, in: lines, file: file, className: className)
                {
                    return found
                }
                for character in text {
                    if character == "{" {
                        depth += 1
                        opened = true
                    } else if character == "}" {
                        depth -= 1
                    }
                }
                if opened, depth <= 0 { break }
            }
        }
        return nil
    }

    private func memberDefinition(
        _ method: String, at index: Int, in lines: [String], file: String, className: String
    ) -> SourceFunction? {
        let line = lines[index]
        guard let range = line.range(of: method + "(") else { return nil }
        let before = line[..<range.lowerBound]
        guard before.last.map({ $0 == " " || $0 == "*" || $0 == "&" || $0 == "\t" }) ?? false else { return nil }
        return function(
            named: "\(className)::\(method)", returnType: Self.returnType(String(before)), lines: lines, line: index,
            after: range.upperBound, file: file)
    }

    /// `virtual`, `inline`, `static`, `explicit` and attributes are not part of the return type.
    static func returnType(_ text: String) -> String {
        // `/*static*/ uint32 Unit::DealDamage(`: the comment is not part of the type.
        text.replacingOccurrences(of: #"/\*.*?\*/"#, with: " ", options: .regularExpression).split(separator: " ")
            .filter {
                !["virtual", "inline", "static", "explicit", "constexpr", "TC_GAME_API", "[[nodiscard]]"].contains($0)
            }.joined(separator: " ").trimmingCharacters(in: .whitespaces)
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

    func sourceFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String, files.count < maxFiles {
            if path.hasPrefix(".git") || path.contains("/.git/") || path.hasPrefix("build/") { continue }
            if path.hasSuffix(".cpp") || path.hasSuffix(".h") || path.hasSuffix(".hpp") { files.append(path) }
        }
        return files
    }

    /// A definition starts at column 0 with `ReturnType Class::method(` (or `Class<T>::method(`), its parameter list
    /// may span lines, and its body's `{` follows (on the same line or a later one) before any `;`.
    func definition(className: String, method: String, in lines: [String], file: String) -> SourceFunction? {
        for (index, line) in lines.enumerated() {
            guard line.first.map({ !$0.isWhitespace }) == true, let call = line.range(of: "::" + method + "(") else {
                continue
            }
            // What qualifies the method, as written: `Unit`, `Socket<T>`, `Playerbot::PlayerbotAI`.
            let head = line[..<call.lowerBound]
            var qualifierStart = head.endIndex
            var depth = 0
            while qualifierStart > head.startIndex {
                let previous = head[head.index(before: qualifierStart)]
                if previous == ">" { depth += 1 } else if previous == "<" { depth -= 1 }
                if depth == 0, previous == " " || previous == "*" || previous == "&" || previous == "\t" { break }
                qualifierStart = head.index(before: qualifierStart)
            }
            let qualifier = Self.withoutTemplateArguments(String(head[qualifierStart...]))
            guard qualifier == className || qualifier.hasSuffix("::" + className) else { continue }
            if let found = function(
                named: "\(className)::\(method)", returnType: Self.returnType(String(head[..<qualifierStart])),
                lines: lines, line: index, after: call.upperBound, file: file)
            {
                return found
            }
        }
        return nil
    }

    /// The function whose parameter list starts at `after` on `line`: its parameters, and its body's brace on this line
    /// or the first non-empty line after; nil for a declaration.
    private func function(
        named name: String, returnType: String, lines: [String], line index: Int, after start: String.Index,
        file: String
    ) -> SourceFunction? {
        var text = String(lines[index][start...])
        var end = index
        while closingParenthesis(text) == nil, end + 1 < lines.count, end - index < 20 {
            end += 1
            text += " " + lines[end].trimmingCharacters(in: .whitespaces)
        }
        guard let close = closingParenthesis(text) else { return nil }
        let parameterText = String(text[..<close])
        let after = text[text.index(after: close)...].trimmingCharacters(in: .whitespaces)
        var braceLine: Int?
        let qualifiers = (after.split(separator: "{", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
            .split(separator: " ")
        let onlyQualifiers = qualifiers.allSatisfy { ["const", "override", "final", "noexcept"].contains($0) }
        if after.contains("{"), onlyQualifiers || after.hasPrefix(":") {
            braceLine = end
        } else if after.isEmpty || onlyQualifiers || after.hasPrefix(":") {
            var next = end + 1
            while next < lines.count, lines[next].trimmingCharacters(in: .whitespaces).isEmpty { next += 1 }
            // A constructor's initialiser list may come first; the body's brace ends it.
            while next < lines.count, next - end < 15, !lines[next].contains("{"), !lines[next].contains(";") {
                next += 1
            }
            if next < lines.count, lines[next].trimmingCharacters(in: .whitespaces).hasPrefix("{") {
                braceLine = next
            }
        }
        guard let open = braceLine else { return nil }
        var indent = "    "
        let openIndent = lines[open].prefix(while: { $0 == " " || $0 == "\t" })
        if open + 1 < lines.count {
            let body = lines[open + 1]
            let leading = body.prefix(while: { $0 == " " || $0 == "\t" })
            if leading.count > openIndent.count { indent = String(leading) } else { indent = openIndent + "    " }
        }
        var found = SourceFunction(
            file: file, name: name, returnType: returnType, parameters: Self.parameters(parameterText),
            bodyOpenLine: open, bodyIndent: indent)
        let braceText = lines[open][(lines[open].firstIndex(of: "{") ?? lines[open].startIndex)...]
        found.bodyIsOneLine =
            braceText.filter { $0 == "}" }.count >= braceText.filter { $0 == "{" }.count
        return found
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
