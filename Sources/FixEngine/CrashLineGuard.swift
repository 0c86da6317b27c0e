import Foundation

/// The guard written just before the statement a crash stopped on: the pointer expressions that statement
/// dereferences are checked, and when one is null the function leaves (or the loop goes on) with an ERROR line in the
/// tree's own logging style.
///
/// It is a symptom-only fix by nature: it stops a null pointer, not a dangling one, and not whoever made it null.
/// Everything it cannot write correctly it refuses, with the reason: a function whose type has no honest "nothing"
/// value, an `else if` condition, a pointer declared in the statement itself.
public struct CrashLineGuard: Sendable, Equatable {
    /// The lines replaced (from `start`, `removeCount` of them) and what goes there.
    public var start: Int
    public var removeCount: Int
    public var inserted: [String]
    /// The guarded expressions, outermost first (`target`, `target->GetMap()`).
    public var expressions: [String]
    /// What the guard does when it fires (`returns`, `returns false`, `skips this iteration`).
    public var action: String

    /// Where the guard goes.
    public struct Site: Sendable, Equatable {
        /// 0-based line of the crash in the tree.
        public var line: Int
        /// The method the crashing line calls into (the frame above), when this frame is a caller: the expression
        /// that method was called through is the one to guard.
        public var callee: String?
        /// For the log line: where the report put the crash (`Unit.cpp:812`).
        public var reportedAt: String
    }

    /// Why the line needs no guard here but its caller does: the statement only reads members of the object itself,
    /// so the object (`this`) is what was invalid.
    public static let objectItselfInvalid = "reads only members of the object itself"

    /// The guard for `site` in `function`, or why none can be written.
    public static func make(
        function: SourceFunction, lines: [String], site: Site, groupID: String, logging: LogConventions
    ) -> Result<CrashLineGuard, TemplateRefusal> {
        let bodyEnd = function.bodyCloseLine(in: lines)
        guard site.line > function.bodyOpenLine, site.line < bodyEnd else {
            return .failure(.init(reason: "line \(site.line + 1) is outside \(function.name)'s body"))
        }
        let code = Self.code(lines[site.line])
        let found: [String]
        if let callee = site.callee {
            switch Self.receiver(ofCallTo: callee, in: code) {
            case .none:
                return .failure(.init(reason: "\(function.name) does not call \(callee) at line \(site.line + 1)"))
            case .some(nil):
                return .failure(.init(reason: objectItselfInvalid))
            case .some(let expression?):
                found = Self.prefixes(of: expression)
            }
        } else {
            found = Self.dereferenced(in: code)
            if found.isEmpty {
                return .failure(
                    .init(
                        reason: code.contains("->") || code.contains("*")
                            ? "the pointer dereferenced at line \(site.line + 1) is not a plain expression (a call with arguments, an iterator) that can be checked twice"
                            : objectItselfInvalid))
            }
        }
        let start = Self.statementStart(of: site.line, after: function.bodyOpenLine, in: lines)
        let statementText = lines[start...site.line].map(Self.code).joined(separator: " ")
        let leading = statementText.trimmingCharacters(in: .whitespaces)
        if leading.hasPrefix("else") || leading.hasPrefix("}") {
            return .failure(
                .init(reason: "the crashing line is an else-branch's condition; a guard cannot go between if and else"))
        }
        if leading.hasPrefix("case ") || leading.hasPrefix("default:") {
            return .failure(.init(reason: "the crashing line is a case label"))
        }
        let declared = Self.declaredNames(in: statementText)
        // `if (Creature* creature = unit->ToCreature())` above an unbraced body has tested `creature` already.
        let tested = Self.testedByEnclosingHeaders(of: start, after: function.bodyOpenLine, in: lines)
        let undeclared = found.filter { expression in !declared.contains(Self.rootName(of: expression)) }
        guard !undeclared.isEmpty else {
            return .failure(.init(reason: "the pointer dereferenced at line \(site.line + 1) is declared there"))
        }
        let expressions = Array(undeclared.filter { !tested.contains($0) }.prefix(3))
        guard !expressions.isEmpty else {
            return .failure(
                .init(
                    reason:
                        "\(undeclared.joined(separator: ", ")) is tested for null just above; it was dangling (freed), not null — see the log lines before the crash for who removed it"
                ))
        }
        let inLoop = Self.isInsideLoop(line: start, function: function, lines: lines)
        let bail: String
        let action: String
        if inLoop {
            (bail, action) = ("continue;", "skips this iteration")
        } else {
            switch Self.nothingValue(for: function.returnType) {
            case .some(let statement):
                bail = statement
                action = statement == "return;" ? "returns" : "returns \(statement.dropFirst(7).dropLast())"
            case .none:
                return .failure(
                    .init(
                        reason:
                            "\(function.name) returns \(function.returnType); leaving it early would invent a value its callers cannot tell from a real one"
                    ))
            }
        }
        let indent = String(lines[start].prefix(while: { $0 == " " || $0 == "\t" }))
        let names = expressions.joined(separator: " or ")
        let message =
            "\(function.name): \(names) is null where crash group \(groupID) crashed (\(site.reportedAt) in the report); \(action == "skips this iteration" ? "skipped" : "not continued")"
        let guardLines = [
            "\(indent)// crashwatch: crash-line-guard for crash group \(groupID) (symptom only: this stops a null \(expressions.count == 1 ? "pointer" : "pointers"), not a dangling one)",
            "\(indent)if (\(expressions.map { "!" + $0 }.joined(separator: " || ")))",
            "\(indent){",
            "\(indent)    \(logging.macroPrefix)ERROR(\"\(logging.logger)\", \"\(Self.escaped(message, style: logging.style))\");",
            "\(indent)    \(bail)",
            "\(indent)}",
        ]
        // The body of an `if`/`for`/`while` without braces: the guard and the statement become a block, or the guard
        // would be the body and the statement would run unconditionally.
        if let header = Self.unbracedHeader(before: start, after: function.bodyOpenLine, in: lines) {
            guard let end = Self.statementEnd(from: start, before: bodyEnd, in: lines) else {
                return .failure(.init(reason: "the end of the crashing statement could not be told"))
            }
            let headerIndent = String(lines[header].prefix(while: { $0 == " " || $0 == "\t" }))
            let block = ["\(headerIndent){"] + guardLines + Array(lines[start...end]) + ["\(headerIndent)}"]
            return .success(
                CrashLineGuard(
                    start: start, removeCount: end - start + 1, inserted: block, expressions: expressions,
                    action: action))
        }
        return .success(
            CrashLineGuard(start: start, removeCount: 0, inserted: guardLines, expressions: expressions, action: action)
        )
    }

    /// What a function returns to say "nothing": nil when its type has no such value.
    static func nothingValue(for type: String) -> String? {
        let bare = type.split(separator: " ").filter { !["static", "inline", "virtual", "const"].contains($0) }
            .joined(separator: " ")
        if bare == "void" || bare.isEmpty { return "return;" }
        if bare == "bool" { return "return false;" }
        if bare.hasSuffix("*") { return "return nullptr;" }
        return nil
    }

    /// The line without its `//` comment and string contents, so neither is read as code.
    static func code(_ line: String) -> String {
        var result = ""
        var inString = false
        var previous: Character = " "
        for character in line {
            if inString {
                if character == "\"", previous != "\\" { inString = false }
                previous = character
                continue
            }
            if character == "\"" {
                inString = true
                result.append("\"\"")
            } else if character == "/", previous == "/" {
                result.removeLast()
                break
            } else {
                result.append(character)
            }
            previous = character
        }
        return result
    }

    /// Every plain expression dereferenced with `->` on the line, outermost first, without repeats: `a->GetB()->C()`
    /// gives `a`, `a->GetB()`.
    ///
    /// `this` is not one (the object itself), nor an expression with a call that takes arguments (checking it would
    /// call it twice), nor an iterator (`itr->second`).
    static func dereferenced(in code: String) -> [String] {
        var result: [String] = []
        var searchStart = code.startIndex
        while let arrow = code.range(of: "->", range: searchStart..<code.endIndex) {
            searchStart = arrow.upperBound
            guard let expression = expression(endingAt: arrow.lowerBound, in: code) else { continue }
            for prefix in prefixes(of: expression) where !result.contains(prefix) { result.append(prefix) }
        }
        return result
    }

    /// The expression a call to `method` is made through: `.some(expr)` for `expr->method(`, `.some(nil)` for a call
    /// on the object itself (`method(` or `this->method(`), nil when the line does not call it (or only on a value,
    /// `expr.method(`, whose own pointers are then the ones dereferenced).
    static func receiver(ofCallTo method: String, in code: String) -> String?? {
        let simple = method.components(separatedBy: "::").last ?? method
        var searchStart = code.startIndex
        var sawValueCall = false
        while let call = code.range(of: simple + "(", range: searchStart..<code.endIndex) {
            searchStart = call.upperBound
            let before = code[..<call.lowerBound]
            if let last = before.last, last.isLetter || last.isNumber || last == "_" { continue }
            if before.hasSuffix("->") {
                let arrow = code.index(call.lowerBound, offsetBy: -2)
                guard let expression = expression(endingAt: arrow, in: code) else { return .some(nil) }
                let prefixes = prefixes(of: expression)
                return prefixes.isEmpty ? .some(nil) : .some(expression.hasPrefix("this->") ? nil : expression)
            }
            if before.hasSuffix(".") {
                sawValueCall = true
                continue
            }
            if before.hasSuffix("::") { continue }
            return .some(nil)
        }
        if sawValueCall {
            let derefs = dereferenced(in: code)
            return derefs.isEmpty ? nil : .some(derefs.last)
        }
        return nil
    }

    /// The expression that ends just before `end`: identifiers, `()` calls without arguments, joined by `->`, `.`
    /// or `::`; nil when it is not that plain.
    static func expression(endingAt end: String.Index, in code: String) -> String? {
        var index = end
        var depth = 0
        var sawArguments = false
        while index > code.startIndex {
            let previous = code.index(before: index)
            let character = code[previous]
            if character == ")" || character == "]" {
                depth += 1
            } else if character == "(" || character == "[" {
                if depth == 0 { break }
                depth -= 1
            } else if depth > 0 {
                if !character.isWhitespace { sawArguments = true }
            } else if character.isLetter || character.isNumber || character == "_" || character == ":"
                || character == "."
            {
                // part of the chain
            } else if character == ">", previous > code.startIndex, code[code.index(before: previous)] == "-" {
                index = code.index(before: previous)
                continue
            } else {
                break
            }
            index = previous
        }
        let text = code[index..<end].trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty, !sawArguments, let first = text.first, first.isLetter || first == "_" else { return nil }
        if text.contains("[") { return nil }
        return text
    }

    /// `a->GetB()->C` → `a`, `a->GetB()`, `a->GetB()->C`, without `this` and iterators.
    static func prefixes(of expression: String) -> [String] {
        var text = expression
        if text.hasPrefix("this->") { text.removeFirst(6) }
        if text == "this" || text.isEmpty { return [] }
        let root = rootName(of: text)
        let iteratorNames: Set<String> = ["itr", "iter", "it", "i", "itr2", "iterator"]
        if iteratorNames.contains(root) || root.hasSuffix("Itr") || root.hasSuffix("_itr") { return [] }
        var result: [String] = []
        var searchStart = text.startIndex
        while let arrow = text.range(of: "->", range: searchStart..<text.endIndex) {
            result.append(String(text[..<arrow.lowerBound]))
            searchStart = arrow.upperBound
        }
        result.append(text)
        return result
    }

    /// The first identifier of an expression (`target` in `target->GetMap()`).
    static func rootName(of expression: String) -> String {
        String(expression.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" }))
    }

    /// Names the statement declares (`Player* player = …`, `if (Unit* target = …)`, `for (auto* unit : …)`).
    static func declaredNames(in statement: String) -> Set<String> {
        let pattern = #"(?:[A-Za-z_][\w:<>]*\s*[*&]+\s*|\bauto\s+|\bauto\s*[*&]+\s*)([A-Za-z_]\w*)\s*(?:=|:(?!:)|\{)"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        var names: Set<String> = []
        for match in regex.matches(in: statement, range: NSRange(statement.startIndex..., in: statement)) {
            if let range = Range(match.range(at: 1), in: statement) { names.insert(String(statement[range])) }
        }
        return names
    }

    /// The names tested non-null by the `if (T* name = …)` headers of the unbraced bodies `start` is in.
    static func testedByEnclosingHeaders(of start: Int, after bodyOpen: Int, in lines: [String]) -> Set<String> {
        var names: Set<String> = []
        var top = start
        while let header = unbracedHeader(before: top, after: bodyOpen, in: lines) {
            let text = lines[header...top - 1].map(code).joined(separator: " ").trimmingCharacters(in: .whitespaces)
            if startsWithKeyword(text, "if") || startsWithKeyword(text, "else if") {
                names.formUnion(
                    declaredNames(in: text).filter { name in
                        // `if (Unit* u = x->GetU())` tests u; `if (Unit* u = …; u && …)` is left to the reader.
                        text.range(of: #"\(\s*[\w:<>]+\s*[*]\s*"# + name + #"\s*="#, options: .regularExpression) != nil
                    })
            }
            top = header
        }
        return names
    }

    /// The first line of the statement that `line` belongs to: earlier lines are part of it while they do not end one
    /// (`;`, `{`, `}`, a label) or while the parentheses are still open.
    static func statementStart(of line: Int, after bodyOpen: Int, in lines: [String]) -> Int {
        var start = line
        while start - 1 > bodyOpen {
            let previous = code(lines[start - 1]).trimmingCharacters(in: .whitespaces)
            let text = lines[start...line].map(code).joined(separator: " ")
            let open = text.filter { $0 == "(" }.count - text.filter { $0 == ")" }.count
            if open < 0 {
                start -= 1
                continue
            }
            if previous.isEmpty || previous.hasPrefix("#") || previous.hasSuffix(";") || previous.hasSuffix("{")
                || previous.hasSuffix("}") || isLabel(previous) || isUnbracedHeader(previous)
            {
                break
            }
            start -= 1
        }
        return start
    }

    /// The last line of the statement that starts at `start`: its `;`, the `}` of its block, or — for an `if`, `for`
    /// or `while` without braces — the end of its one statement, and of the `else` that follows.
    static func statementEnd(from start: Int, before bodyEnd: Int, in lines: [String]) -> Int? {
        var index = start
        var open = 0
        var text = ""
        while index < bodyEnd {
            let line = code(lines[index]).trimmingCharacters(in: .whitespaces)
            text += (text.isEmpty ? "" : " ") + line
            open += line.filter { $0 == "(" }.count - line.filter { $0 == ")" }.count
            if open > 0 || line.isEmpty {
                index += 1
                continue
            }
            if line.hasSuffix("{") {
                guard let close = matchingClose(from: index, before: bodyEnd, in: lines) else { return nil }
                return withElse(after: close, before: bodyEnd, in: lines)
            }
            if line.hasSuffix(";") { return withElse(after: index, before: bodyEnd, in: lines) }
            if isUnbracedHeader(text) {
                var next = index + 1
                while next < bodyEnd, code(lines[next]).trimmingCharacters(in: .whitespaces).isEmpty { next += 1 }
                guard next < bodyEnd else { return nil }
                if code(lines[next]).trimmingCharacters(in: .whitespaces) == "{" {
                    guard let close = matchingClose(from: next, before: bodyEnd, in: lines) else { return nil }
                    return withElse(after: close, before: bodyEnd, in: lines)
                }
                guard let inner = statementEnd(from: next, before: bodyEnd, in: lines) else { return nil }
                return withElse(after: inner, before: bodyEnd, in: lines)
            }
            index += 1
        }
        return nil
    }

    /// `end`, or the end of the `else` branch that follows it.
    private static func withElse(after end: Int, before bodyEnd: Int, in lines: [String]) -> Int? {
        var next = end + 1
        while next < bodyEnd, code(lines[next]).trimmingCharacters(in: .whitespaces).isEmpty { next += 1 }
        guard next < bodyEnd, startsWithKeyword(code(lines[next]).trimmingCharacters(in: .whitespaces), "else") else {
            return end
        }
        return statementEnd(from: next, before: bodyEnd, in: lines)
    }

    /// The line of the `}` that closes the block opened on `open`.
    private static func matchingClose(from open: Int, before bodyEnd: Int, in lines: [String]) -> Int? {
        var depth = 0
        for index in open...bodyEnd {
            let text = code(lines[index])
            depth += text.filter { $0 == "{" }.count - text.filter { $0 == "}" }.count
            if depth <= 0, index > open || text.contains("}") { return index }
        }
        return nil
    }

    /// The line of an `if (…)`, `else`, `for (…)` or `while (…)` just before `start` that has no brace, so the
    /// statement at `start` is its whole body.
    static func unbracedHeader(before start: Int, after bodyOpen: Int, in lines: [String]) -> Int? {
        var index = start - 1
        while index > bodyOpen, code(lines[index]).trimmingCharacters(in: .whitespaces).isEmpty { index -= 1 }
        guard index > bodyOpen else { return nil }
        let previous = code(lines[index]).trimmingCharacters(in: .whitespaces)
        if previous == "else" || previous == "do" { return index }
        guard previous.hasSuffix(")") else { return nil }
        // A multi-line condition: the header starts where its parentheses open.
        var header = index
        var open = previous.filter { $0 == "(" }.count - previous.filter { $0 == ")" }.count
        while open < 0, header - 1 > bodyOpen {
            header -= 1
            let text = code(lines[header])
            open += text.filter { $0 == "(" }.count - text.filter { $0 == ")" }.count
        }
        return isUnbracedHeader(code(lines[header]).trimmingCharacters(in: .whitespaces)) ? header : nil
    }

    /// `if (…)`, `else if (…)`, `for (…)`, `while (…)` (its first line, when the condition spans several), `else`,
    /// `do`: a line after which one statement is the whole body.
    static func isUnbracedHeader(_ text: String) -> Bool {
        if text == "else" || text == "do" { return true }
        guard !text.hasSuffix(";"), !text.hasSuffix("{"), !text.hasSuffix("}") else { return false }
        return ["if", "else if", "for", "while"].contains { startsWithKeyword(text, $0) }
    }

    static func isLabel(_ text: String) -> Bool {
        guard text.hasSuffix(":"), !text.hasSuffix("::") else { return false }
        return text.hasPrefix("case ") || text == "default:" || ["public:", "private:", "protected:"].contains(text)
            || text.dropLast().allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    static func startsWithKeyword(_ text: String, _ keyword: String) -> Bool {
        guard text.hasPrefix(keyword) else { return false }
        let rest = text.dropFirst(keyword.count)
        return rest.first.map { !($0.isLetter || $0.isNumber || $0 == "_") } ?? true
    }

    /// Whether `line` is inside a `for`, `while` or `do` block of the function (a `continue` there goes on to the next
    /// element instead of leaving the whole function).
    static func isInsideLoop(line: Int, function: SourceFunction, lines: [String]) -> Bool {
        // Up through the headers of unbraced bodies (`for (…)` / `if (…)` / statement) first.
        var top = line
        while let header = unbracedHeader(before: top, after: function.bodyOpenLine, in: lines) {
            let text = code(lines[header]).trimmingCharacters(in: .whitespaces)
            if ["for", "while", "do"].contains(where: { startsWithKeyword(text, $0) }) { return true }
            top = header
        }
        var depth = 0
        var index = top - 1
        while index > function.bodyOpenLine {
            let text = code(lines[index])
            depth += text.filter { $0 == "}" }.count
            let opens = text.filter { $0 == "{" }.count
            if opens > depth {
                // This line (or the header just above it) opens a block around `line`.
                var header = text.trimmingCharacters(in: .whitespaces)
                if header == "{", index - 1 > function.bodyOpenLine {
                    header = code(lines[index - 1]).trimmingCharacters(in: .whitespaces)
                }
                if ["for", "while", "do"].contains(where: { startsWithKeyword(header, $0) }) { return true }
                depth = 0
            } else {
                depth -= opens
            }
            index -= 1
        }
        return false
    }

    /// A message safe inside the log macro's string: no quote or backslash, and for printf no `%`.
    static func escaped(_ text: String, style: LogConventions.Style) -> String {
        var result = text.replacingOccurrences(of: "\\", with: "/").replacingOccurrences(of: "\"", with: "'")
        if style == .printf { result = result.replacingOccurrences(of: "%", with: "%%") }
        if style == .fmt {
            result = result.replacingOccurrences(of: "{", with: "{{").replacingOccurrences(of: "}", with: "}}")
        }
        return result
    }
}

extension SourceFunction {
    /// 0-based line of the `}` that closes the body (brace counting from `bodyOpenLine`, strings and `//` comments
    /// left out).
    public func bodyCloseLine(in lines: [String]) -> Int {
        var depth = 0
        for index in bodyOpenLine..<lines.count {
            let text = CrashLineGuard.code(lines[index])
            depth += text.filter { $0 == "{" }.count - text.filter { $0 == "}" }.count
            if depth <= 0, index > bodyOpenLine || text.contains("}") { return index }
        }
        return lines.count - 1
    }
}
