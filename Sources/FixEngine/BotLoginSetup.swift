import Foundation

/// The cause fix for a bot whose player state was never set up: the bot module's login calls the setup that a
/// client's login runs.
///
/// Read from the tree, not assumed: the member the crashing statement reads through (`player->m_spellModTakingDamage`),
/// the tree's argument-less `void` member function that sets it (`InitSpellMods`), the places that already call it
/// (the login of a real client), and the bot logins that do not (`World::LoginBot`, `PlayerbotHolder::
/// HandlePlayerBotLoginCallback`). The call goes just after the bot login has its `Player*` (and after the check
/// that it is not null). When any of these is missing in the tree, it refuses and says which.
struct BotLoginSetup {
    let locator: SourceLocator

    /// A definition whose name says it logs a bot in.
    static let loginName = try! NSRegularExpression(
        pattern:
            #"^[^\s(/#][^(;=]*?\b(\w+(?:<[^>]*>)?)::(\w*(?:[Bb]ot\w*Login|Login\w*[Bb]ot|AddBot|AddPlayerBot)\w*)\s*\("#
    )

    /// - Parameter site: the crashing statement's 0-based line, when the report's line was confirmed.
    func diff(crashing function: SourceFunction, lines: [String], site: Int?, groupID: String)
        -> Result<(diff: String, edit: FixTemplate.Edit), TemplateRefusal>
    {
        let bodyEnd = function.bodyCloseLine(in: lines)
        let body = (function.bodyOpenLine + 1)..<bodyEnd
        let read =
            site.flatMap { body.contains($0) ? FixTemplate.spellModRead(in: lines[$0]) : nil }
            ?? body.lazy.compactMap { FixTemplate.spellModRead(in: lines[$0]) }.first
        guard let read, let arrow = read.range(of: "->") else {
            return .failure(
                .init(reason: "\(function.name) reads no player's spell mods (…->m_spellMod…): no setup to look for"))
        }
        let member = String(read[arrow.upperBound...])
        let files = locator.sourceFiles()
        // A tree's files are read once, and split into lines only when they hold what a pass looks for.
        var texts: [String: String] = [:]
        func treeLines(_ file: String, containing needle: String) -> [String]? {
            let text =
                texts[file]
                ?? {
                    let read = (try? String(contentsOfFile: "\(locator.root)/\(file)", encoding: .utf8)) ?? ""
                    texts[file] = read
                    return read
                }()
            return text.contains(needle) ? SourceLocator.lines(of: text) : nil
        }
        guard let setup = setter(of: member, files: files, lines: { treeLines($0, containing: member) }) else {
            return .failure(
                .init(
                    reason:
                        "no member function without arguments sets \(member) in the tree: the bot login's missing setup cannot be named — see the suggestions"
                ))
        }
        let call = try! NSRegularExpression(pattern: #"(?:->|\.)\s*\#(setup.method)\s*\(\s*\)"#)
        func calls(_ text: String) -> Bool {
            call.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        let callers = files.compactMap { file -> String? in
            guard let fileLines = treeLines(file, containing: setup.method),
                let index = fileLines.firstIndex(where: { calls(CrashLineGuard.code($0)) })
            else { return nil }
            return "\(file):\(index + 1)"
        }
        guard !callers.isEmpty else {
            return .failure(
                .init(
                    reason:
                        "nothing in the tree calls \(setup.method)(), so no login is known to set \(member) up — see the suggestions"
                ))
        }
        var logins: [(function: SourceFunction, lines: [String])] = []
        var alreadyCalling: [String] = []
        for file in files {
            guard let fileLines = treeLines(file, containing: "ot"),
                fileLines.contains(where: { $0.contains("Bot") || $0.contains("bot") })
            else { continue }
            for line in fileLines {
                let range = NSRange(line.startIndex..., in: line)
                guard let match = Self.loginName.firstMatch(in: line, range: range),
                    let owner = Range(match.range(at: 1), in: line), let method = Range(match.range(at: 2), in: line),
                    let found = locator.definition(
                        className: SourceLocator.withoutTemplateArguments(String(line[owner])),
                        method: String(line[method]), in: fileLines, file: file),
                    !logins.contains(where: { $0.function.name == found.name && $0.function.file == file })
                else { continue }
                let loginBody = fileLines[(found.bodyOpenLine + 1)..<found.bodyCloseLine(in: fileLines)]
                if loginBody.contains(where: { calls(CrashLineGuard.code($0)) }) {
                    alreadyCalling.append(found.name)
                } else {
                    logins.append((found, fileLines))
                }
            }
        }
        guard !logins.isEmpty else {
            return .failure(
                .init(
                    reason: alreadyCalling.isEmpty
                        ? "no bot login (…BotLogin…, …LoginBot…, AddBot…) is defined in the tree: the bot module is not in this source tree"
                        : "every bot login already calls \(setup.method)() (\(alreadyCalling.joined(separator: ", "))): this crash has another cause"
                ))
        }
        var diff = ""
        var inserted: [String] = []
        var patched: [String] = []
        var refusals: [String] = []
        for login in logins.prefix(3) {
            guard let (after, player, indent) = Self.playerReady(in: login.function, lines: login.lines) else {
                refusals.append("\(login.function.name) has no Player* to set up")
                continue
            }
            let lines = [
                "\(indent)// crashwatch: bot-login-setup for crash group \(groupID): the setup a client's login runs (\((callers[0] as NSString).lastPathComponent))",
                "\(indent)\(player)->\(setup.method)();",
            ]
            diff += UnifiedDiff.insertion(file: login.function.file, lines: login.lines, after: after, inserted: lines)
            inserted += lines
            patched.append("\(login.function.name) (\(login.function.file):\(after + 2))")
        }
        guard !patched.isEmpty else {
            return .failure(.init(reason: refusals.joined(separator: "; ")))
        }
        let explanation =
            "Calls \(setup.method)() — which sets \(member), read by \(function.name) — in the bot login \(patched.joined(separator: ", ")), as the tree already does for other players (\(callers.prefix(3).joined(separator: ", "))). A bot then has the state a client's login gives it, and the crashing read finds it set up; no guard in \(function.name) is needed."
        return .success(
            (
                diff,
                FixTemplate.Edit(
                    lines: inserted, explanation: explanation, isSymptomOnly: false, confidence: 0.6,
                    subject: logins.map(\.function.name).joined(separator: ", "),
                    evidence: [
                        "\(member) is set up by \(setup.method)() (\(setup.file))",
                        "\(setup.method)() is called at \(callers.prefix(3).joined(separator: ", "))",
                        "the bot login \(patched.joined(separator: ", ")) does not call it",
                    ])
            ))
    }

    /// The tree's `void name()` member function that assigns `member` something other than null.
    /// - Parameter lines: a file's lines, or nil when it does not mention `member`.
    func setter(of member: String, files: [String], lines: (String) -> [String]?) -> (method: String, file: String)? {
        let assignment = try! NSRegularExpression(
            pattern: #"\b\#(member)\s*=(?!=)\s*(?!nullptr\b|NULL\b|0\s*;)"#)
        // Any function's header, and the one a setter needs: `void Name()`.
        let anyHeader = try! NSRegularExpression(
            pattern: #"^\s*(?:[\w:<>]+[\s*&]+)+~?\w+\s*\([^;]*\)\s*(?:const\s*)?(?:override\s*)?(?:\{.*)?$"#)
        let header = try! NSRegularExpression(
            pattern: #"^\s*(?:inline\s+|virtual\s+)?void\s+(?:\w+::)?(\w+)\s*\(\s*\)\s*(?:const\s*)?(?:\{|$)"#)
        for file in files {
            guard let fileLines = lines(file) else { continue }
            for (index, line) in fileLines.enumerated() {
                let code = CrashLineGuard.code(line)
                guard assignment.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)) != nil else {
                    continue
                }
                // The function it is in: on the same line (`void InitSpellMods() { m_x = &m_y; }`) or the nearest
                // header above, within a short body.
                for above in stride(from: index, through: max(0, index - 30), by: -1) {
                    let text = CrashLineGuard.code(fileLines[above])
                    let range = NSRange(text.startIndex..., in: text)
                    if let match = header.firstMatch(in: text, range: range),
                        let name = Range(match.range(at: 1), in: text)
                    {
                        return (String(text[name]), file)
                    }
                    // Another function's header (`void SetSpellModTakingSpell(Spell* spell, bool apply)`): not one.
                    if anyHeader.firstMatch(in: text, range: range) != nil { break }
                }
            }
        }
        return nil
    }

    /// The line after which `function` has its `Player*` ready: its declaration (and the null check right after
    /// it), or the body's first line when the player is a parameter.
    static func playerReady(in function: SourceFunction, lines: [String]) -> (
        after: Int, player: String, indent: String
    )? {
        let bodyEnd = function.bodyCloseLine(in: lines)
        let declaration = try! NSRegularExpression(pattern: #"\bPlayer\s*\*\s*(\w+)\s*="#)
        var after: Int?
        var player: String?
        var indent = function.bodyIndent
        for index in (function.bodyOpenLine + 1)..<bodyEnd {
            let code = CrashLineGuard.code(lines[index])
            guard let match = declaration.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)),
                let name = Range(match.range(at: 1), in: code),
                let end = CrashLineGuard.statementEnd(from: index, before: bodyEnd, in: lines)
            else { continue }
            (after, player) = (end, String(code[name]))
            indent = String(lines[index].prefix(while: { $0 == " " || $0 == "\t" }))
            break
        }
        if after == nil,
            let parameter = function.parameters.first(where: { $0.type.hasPrefix("Player") && $0.isPointer })
        {
            (after, player) = (function.bodyOpenLine, parameter.name)
        }
        guard var after, let player else { return nil }
        // `if (!bot) return;` right after: the setup goes past it, where the player is known to exist.
        if let next = ((after + 1)..<bodyEnd).first(where: {
            !CrashLineGuard.code(lines[$0]).trimmingCharacters(in: .whitespaces).isEmpty
        }),
            CrashLineGuard.code(lines[next]).replacingOccurrences(of: " ", with: "").hasPrefix("if(!\(player))"),
            let end = CrashLineGuard.statementEnd(from: next, before: bodyEnd, in: lines)
        {
            after = end
        }
        return (after, player, indent)
    }
}
