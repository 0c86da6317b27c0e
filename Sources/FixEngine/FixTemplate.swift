import Foundation

/// The fix templates known patterns may name (`fix-template` in `Rules/patterns/*.toml`).
///
/// A template edits the crashing function found by name: it inserts a guard at the start of its body. Templates whose
/// change cannot be written without understanding the code (deferring to the next update, lock ordering) say so and
/// produce no diff rather than a wrong one.
public enum FixTemplate: String, Sendable, CaseIterable {
    case nullGuard = "null-guard"
    case botGuard = "bot-guard"
    /// The bot login calls the setup a client's login runs (`BotLoginSetup`).
    case botLoginSetup = "bot-login-setup"
    case stateValidation = "state-validation"
    case deferToNextUpdate = "defer-to-next-update"
    case lockOrdering = "lock-ordering"
    case debugLogging = "debug-logging"
    /// A null check of what the crashing line dereferences, just before it (`CrashLineGuard`).
    case crashLineGuard = "crash-line-guard"

    public struct Edit: Sendable {
        public var lines: [String]
        public var explanation: String
        public var isSymptomOnly: Bool
        public var confidence: Double
        /// Where the edit lands when it is not the crashing function (the bot login), for the candidate's title.
        public var subject: String? = nil
        /// What the edit rests on beyond the crashing function (the setup, its callers, the login that skips it).
        public var evidence: [String] = []
    }

    /// The lines to insert at the top of `function`'s body, or why this template cannot help here.
    /// - Parameter logging: how the function's file logs, for templates that add a log line.
    public func edit(
        for function: SourceFunction, groupID: String, logging: LogConventions = .trinityDefault
    ) -> Result<Edit, TemplateRefusal> {
        let indent = function.bodyIndent
        let marker = "\(indent)// crashwatch: \(rawValue) for crash group \(groupID)"
        let bail = Self.returnStatement(for: function.returnType)
        let pointers = function.parameters.filter(\.isPointer)
        switch self {
        case .nullGuard:
            guard !pointers.isEmpty else {
                return .failure(.init(reason: "\(function.name) takes no pointer to check"))
            }
            let condition = pointers.map { "!\($0.name)" }.joined(separator: " || ")
            return .success(
                Edit(
                    lines: [marker, "\(indent)if (\(condition))", "\(indent)    \(bail)", ""],
                    explanation:
                        "Returns early from \(function.name) when \(pointers.map(\.name).joined(separator: " or ")) is null.",
                    isSymptomOnly: true, confidence: 0.35))
        case .botGuard:
            return .failure(
                .init(reason: "bot-guard is written at the statement that reads the spell mods (botGuardDiff)"))
        case .botLoginSetup:
            return .failure(.init(reason: "bot-login-setup is written in the bot module's login (BotLoginSetup)"))
        case .stateValidation:
            // IsInWorld() is a WorldObject's; an Aura, a Spell or a packet has no such state to check.
            let worldObjects = [
                "Unit", "Player", "Creature", "GameObject", "WorldObject", "DynamicObject", "Corpse", "Pet",
                "TempSummon", "Minion", "Guardian", "Vehicle", "Transport", "AreaTrigger",
            ]
            guard
                let subject = pointers.first(where: { parameter in
                    let type = parameter.type.replacingOccurrences(of: "const", with: "").replacingOccurrences(
                        of: "*", with: ""
                    ).trimmingCharacters(in: .whitespaces)
                    return worldObjects.contains(type)
                })
            else {
                return .failure(
                    .init(
                        reason:
                            "\(function.name) takes no world object (unit, player, creature…) whose state could be checked"
                    ))
            }
            let placeholder = logging.style == .fmt ? "{}" : "%s"
            let guid =
                logging.style == .fmt
                ? "\(subject.name)->GetGUID().ToString()" : "\(subject.name)->GetGUID().ToString().c_str()"
            return .success(
                Edit(
                    lines: [
                        marker,
                        "\(indent)if (!\(subject.name))",
                        "\(indent)    \(bail)",
                        "\(indent)if (!\(subject.name)->IsInWorld())",
                        "\(indent){",
                        "\(indent)    \(logging.macroPrefix)ERROR(\"\(logging.logger)\", \"\(function.name): \(placeholder) is not in the world; skipped\", \(guid));",
                        "\(indent)    \(bail)",
                        "\(indent)}",
                        "",
                    ],
                    explanation:
                        "Checks that \(subject.name) is still in the world before \(function.name) acts on it, and logs at ERROR on \(logging.logger) (visible under the default configuration) when it is not.",
                    isSymptomOnly: false, confidence: 0.5))
        case .debugLogging:
            let method = function.name.components(separatedBy: "::").last ?? function.name
            if method.hasPrefix("Update") || method.hasPrefix("_Update") || method.hasPrefix("Visit")
                || method.hasSuffix("Tick")
            {
                return .failure(
                    .init(
                        reason:
                            "\(function.name) runs on every world tick: a log line there floods the log (count the cases instead)"
                    ))
            }
            let printable = function.parameters.compactMap { parameter in
                logging.format(parameter).map { (parameter.name, $0) }
            }
            let printed = printable.prefix(4)
            let format = ([function.name] + printed.map { "\($0.0)=\($0.1.placeholder)" }).joined(separator: " ")
            let values = printed.map(\.1.argument).joined(separator: ", ")
            let unsafe = function.parameters.map(\.name).filter { name in !printable.contains { $0.0 == name } }
            let beyond = printable.dropFirst(4).map(\.0)
            let macro = "\(logging.macroPrefix)DEBUG"
            return .success(
                Edit(
                    lines: [
                        marker,
                        "\(indent)\(macro)(\"\(logging.logger)\", \"\(format)\"\(values.isEmpty ? "" : ", " + values));",
                        "",
                    ],
                    explanation:
                        "Logs the arguments of \(function.name) on entry (\(logging.style == .fmt ? "fmt" : "printf")-style, \(logging.learnedFrom)), to catch the next occurrence with its inputs. It logs at DEBUG on \(logging.logger): enable it with `Logger.\(logging.logger)=2,Console Server` in worldserver.conf (the default root logger shows errors only)."
                        + (unsafe.isEmpty ? "" : " Not printed (no safe format): \(unsafe.joined(separator: ", ")).")
                        + (beyond.isEmpty
                            ? "" : " Not printed (the first four arguments are): \(beyond.joined(separator: ", ")).")
                        + (logging.missingInclude.map { " It adds \($0): the file does not include the log header." }
                            ?? ""),
                    isSymptomOnly: false, confidence: 0.2))
        case .deferToNextUpdate:
            return .failure(.init(reason: "defer-to-next-update edits the class as well as the function (deferDiff)"))
        case .crashLineGuard:
            return .failure(.init(reason: "crash-line-guard is written at the crashing line (CrashLineGuard)"))
        case .lockOrdering:
            return .failure(
                .init(reason: "lock-ordering replaces lines rather than inserting a guard (lockOrderingDiff)"))
        }
    }

    /// Deferring a packet handler to the next update: a `WorldSession` handler taking a `WorldPacket&` keeps a copy
    /// of the packet and returns; the next `WorldSession::Update` in the world thread (`updater.ProcessUnsafe()`)
    /// hands the kept packets to the handler before it reads the queue, once the update that caused the packet is
    /// over.
    ///
    /// Queuing the packet again (`QueuePacket`) would not wait: `Update` drains `_recvQueue` in a loop, so it would be
    /// handled in the same update. Packets are kept by value, so a session destroyed with some pending leaks none.
    /// Other functions are refused: deferring them needs a queue their owner does not have.
    public static func deferDiff(
        for function: SourceFunction, lines: [String], header: (file: String, lines: [String])?,
        update: (function: SourceFunction, lines: [String])?, groupID: String
    ) -> Result<(diff: String, edit: Edit), TemplateRefusal> {
        let parts = function.name.split(separator: ":")
        guard parts.first == "WorldSession", let method = parts.last,
            let packet = function.parameters.first(where: { $0.type.contains("WorldPacket") && $0.type.hasSuffix("&") })
        else {
            return .failure(
                .init(
                    reason:
                        "\(function.name) is not a WorldSession handler taking a WorldPacket; deferring it needs a queue in its owner — see the suggestions"
                ))
        }
        guard let header else {
            return .failure(.init(reason: "WorldSession.h was not found to add the deferred packets"))
        }
        guard let update, update.function.name == "WorldSession::Update",
            let filter = update.function.parameters.first(where: { $0.type.contains("PacketFilter") })
        else {
            return .failure(
                .init(reason: "WorldSession::Update(…, PacketFilter&) was not found to hand the deferred packets back"))
        }
        guard
            let declaration = header.lines.firstIndex(where: {
                $0.contains("class") && $0.contains("WorldSession") && !$0.hasSuffix(";")
            }),
            let privateLine = header.lines[declaration...].firstIndex(where: {
                $0.trimmingCharacters(in: .whitespaces) == "private:"
            })
        else {
            return .failure(.init(reason: "no private section found in the WorldSession class of \(header.file)"))
        }
        let kept = "_crashwatchDeferred\(method)"
        let handling = "_crashwatchHandlingDeferred\(method)"
        let memberIndent = String(header.lines[privateLine].prefix(while: { $0 == " " || $0 == "\t" })) + "    "
        let indent = function.bodyIndent
        let marker = "// crashwatch: defer-to-next-update for crash group \(groupID)"
        let handler = [
            "\(indent)\(marker)",
            "\(indent)// Handled at the start of the next WorldSession::Update, once the update that caused it is over.",
            "\(indent)if (!\(handling))",
            "\(indent){",
            "\(indent)    \(kept).push_back(\(packet.name));",
            "\(indent)    return;",
            "\(indent)}",
            "",
        ]
        let updateIndent = update.function.bodyIndent
        let handBack = [
            "\(updateIndent)\(marker): the \(method) packets the last update kept",
            "\(updateIndent)if (!\(kept).empty() && \(filter.name).ProcessUnsafe())",
            "\(updateIndent){",
            "\(updateIndent)    std::vector<WorldPacket> deferred;",
            "\(updateIndent)    deferred.swap(\(kept));",
            "\(updateIndent)    \(handling) = true;",
            "\(updateIndent)    for (WorldPacket& deferredPacket : deferred)",
            "\(updateIndent)        if (_player)",
            "\(updateIndent)            \(method)(deferredPacket);",
            "\(updateIndent)    \(handling) = false;",
            "\(updateIndent)}",
            "",
        ]
        let members = [
            "\(memberIndent)std::vector<WorldPacket> \(kept); // crashwatch: defer-to-next-update",
            "\(memberIndent)bool \(handling) = false; // crashwatch: defer-to-next-update",
        ]
        var diff = UnifiedDiff.insertion(
            file: header.file, lines: header.lines, after: privateLine, inserted: members)
        if update.function.file == function.file {
            diff += UnifiedDiff.insertions(
                file: function.file, lines: lines,
                [(function.bodyOpenLine, handler), (update.function.bodyOpenLine, handBack)])
        } else {
            diff += UnifiedDiff.insertion(
                file: function.file, lines: lines, after: function.bodyOpenLine, inserted: handler)
            diff += UnifiedDiff.insertion(
                file: update.function.file, lines: update.lines, after: update.function.bodyOpenLine,
                inserted: handBack)
        }
        let edit = Edit(
            lines: handler,
            explanation:
                "Handles \(method) at the start of the next WorldSession::Update in the world thread, after the update that sent it has finished — as bots do when they answer at once. The packet is kept by value (no leak if the session goes), and dropped if the player has logged out by then. Re-queuing it would not wait: Update drains the queue it was put in.",
            isSymptomOnly: false, confidence: 0.45)
        return .success((diff, edit))
    }

    /// Bot guard: the statement that reads a player's spell mods is skipped for a bot whose spell mods were never set
    /// up; the rest of the function — the damage itself — runs as it does for everyone, so no bot becomes immune.
    ///
    /// The statement is the crashing one when the report's line is confirmed (`site`), otherwise the function's first
    /// read of a `…->m_spellMod…`. A tree without `WorldSession::IsBot` (TrinityCore itself) fails the compile check.
    public static func botGuardDiff(
        for function: SourceFunction, lines: [String], site: Int?, groupID: String
    ) -> Result<(diff: String, edit: Edit), TemplateRefusal> {
        let bodyEnd = function.bodyCloseLine(in: lines)
        let body = (function.bodyOpenLine + 1)..<bodyEnd
        guard
            let line = site.flatMap({ body.contains($0) && spellModRead(in: lines[$0]) != nil ? $0 : nil })
                ?? body.first(where: { spellModRead(in: lines[$0]) != nil })
        else {
            return .failure(
                .init(
                    reason:
                        "\(function.name) reads no player's spell mods (…->m_spellMod…) here: a bot guard would have nothing to skip — see the suggestions"
                ))
        }
        let start = CrashLineGuard.statementStart(of: line, after: function.bodyOpenLine, in: lines)
        let leading = CrashLineGuard.code(lines[start]).trimmingCharacters(in: .whitespaces)
        guard !CrashLineGuard.startsWithKeyword(leading, "else"),
            let end = CrashLineGuard.statementEnd(from: start, before: bodyEnd, in: lines),
            let mods = spellModRead(in: lines[start...end].joined(separator: " ")),
            let arrow = mods.range(of: "->")
        else {
            return .failure(.init(reason: "the statement that reads the spell mods could not be told apart"))
        }
        let player = String(mods[..<arrow.lowerBound])
        let indent = String(lines[start].prefix(while: { $0 == " " || $0 == "\t" }))
        let inserted =
            [
                "\(indent)// crashwatch: bot-guard for crash group \(groupID): a bot whose spell mods were never set up takes the damage without them",
                "\(indent)if (!(\(player)->GetSession() && \(player)->GetSession()->IsBot() && !\(mods)))",
                "\(indent){",
            ] + lines[start...end].map { "    " + $0 } + ["\(indent)}"]
        let diff = UnifiedDiff.change(
            file: function.file, lines: lines, start: start, removeCount: end - start + 1, inserted: inserted)
        let file = (function.file as NSString).lastPathComponent
        return .success(
            (
                diff,
                Edit(
                    lines: inserted,
                    explanation:
                        "Skips the spell-mod read at \(file):\(start + 1) for a bot whose spell mods (\(mods)) were never set up; the bot still takes the damage, without the mods. Symptom only: the setup belongs in the bot module's login (bot-login-setup, or see the suggestions); this keeps the server up until it is there.",
                    isSymptomOnly: true, confidence: 0.55)
            ))
    }

    /// `player->m_spellModTakingDamage`: a player pointer and its spell-mod member, as `text` reads them (not
    /// through `this`, not a call).
    static func spellModRead(in text: String) -> String? {
        let code = CrashLineGuard.code(text)
        guard let match = spellModAccess.firstMatch(in: code, range: NSRange(code.startIndex..., in: code)),
            let player = Range(match.range(at: 1), in: code), let member = Range(match.range(at: 2), in: code),
            code[player] != "this"
        else { return nil }
        return "\(code[player])->\(code[member])"
    }

    private static let spellModAccess = try! NSRegularExpression(
        pattern: #"(?<![\w.>])([A-Za-z_]\w*)\s*->\s*(\w*[Ss]pell[Mm]od\w*)\b(?!\s*\()"#)

    /// Lock ordering: two locks taken one after the other at the top level of `function` become one `std::scoped_lock`,
    /// which takes them together without a deadlock whatever order other threads use.
    ///
    /// Refused when there are fewer than two, or when a lock's name is used again (an `unlock()`, a move).
    public static func lockOrderingDiff(
        for function: SourceFunction, lines: [String], groupID: String
    ) -> Result<(diff: String, edit: Edit), TemplateRefusal> {
        let end = function.bodyCloseLine(in: lines)
        let pattern = try! NSRegularExpression(
            pattern: #"^(\s*)std::(lock_guard|unique_lock)<[^>]+>\s+(\w+)\s*[({]([^;]+)[)}];\s*$"#)
        var locks: [(line: Int, indent: String, name: String, mutex: String)] = []
        for index in (function.bodyOpenLine + 1)..<end {
            let line = lines[index]
            guard let match = pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                let indent = Range(match.range(at: 1), in: line), let name = Range(match.range(at: 3), in: line),
                let mutex = Range(match.range(at: 4), in: line)
            else { continue }
            guard String(line[indent]) == function.bodyIndent else { continue }
            locks.append((index, String(line[indent]), String(line[name]), String(line[mutex])))
        }
        guard locks.count >= 2 else {
            return .failure(
                .init(
                    reason:
                        "\(function.name) takes \(locks.count) lock(s) itself; the other is taken by a caller or another thread — order them by hand (see the suggestions)"
                ))
        }
        let (first, second) = (locks[0], locks[1])
        guard second.line == first.line + 1 else {
            return .failure(
                .init(
                    reason:
                        "the two locks in \(function.name) are not taken together; merging them could change what is protected"
                ))
        }
        let body = lines[(second.line + 1)..<end].joined(separator: "\n")
        for name in [first.name, second.name] where body.contains(name + ".") || body.contains("(" + name + ")") {
            return .failure(
                .init(reason: "\(function.name) uses the lock \(name) again later; a scoped_lock would change that"))
        }
        let replacement = [
            "\(first.indent)// crashwatch: lock-ordering for crash group \(groupID): both locks at once, never one then the other",
            "\(first.indent)std::scoped_lock \(first.name)(\(first.mutex), \(second.mutex));",
        ]
        let diff = UnifiedDiff.change(
            file: function.file, lines: lines, start: first.line, removeCount: 2, inserted: replacement)
        let edit = Edit(
            lines: replacement,
            explanation:
                "Takes \(first.mutex) and \(second.mutex) together with std::scoped_lock, so \(function.name) cannot deadlock with a thread that takes them in the other order.",
            isSymptomOnly: false, confidence: 0.5)
        return .success((diff, edit))
    }

    /// What an early return returns, by return type.
    static func returnStatement(for type: String) -> String {
        let bare = type.replacingOccurrences(of: "static ", with: "").replacingOccurrences(of: "inline ", with: "")
            .replacingOccurrences(of: "virtual ", with: "").trimmingCharacters(in: .whitespaces)
        switch bare {
        case "void", "": return "return;"
        case "bool": return "return false;"
        case let t where t.hasSuffix("*"): return "return nullptr;"
        case "int", "int32", "uint32", "int64", "uint64", "uint8", "uint16", "int8", "int16", "float", "double",
            "size_t":
            return "return 0;"
        default: return "return {};"
        }
    }
}

/// Why a template gives no diff.
public struct TemplateRefusal: Error, Sendable, Equatable {
    public var reason: String
}
