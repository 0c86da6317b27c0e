/// Explains a crash: known patterns first, then what the fault kind and the top frames say.
struct Diagnoser: Sendable {
    let patterns: [KnownPattern]
    let components: ComponentRules

    /// - Parameters:
    ///   - botActions: what bots did in the logs just before the crash, as evidence of bot involvement.
    ///   - botLog: what the Playerbot log wrote just before the crash, said in a few words.
    func diagnose(
        _ report: CrashReport, signature: CrashSignature, logText: String,
        botActions: [LogCorrelation.BotAction] = [], botLog: String? = nil
    ) -> Diagnosis {
        let frames = report.crashingThread?.frames ?? []
        var examined = Array(signature.normalizedFrames.prefix(PatternMatcher.framesExamined))
        if let function = report.assertion?.function { examined.append(FrameNormalizer.normalize(function: function)) }

        // Bot involvement and components, from function names and source paths of the crashing thread.
        var botEvidence: [String] = []
        var found: [String] = []
        for (index, frame) in frames.prefix(40).enumerated() {
            let name = index < signature.normalizedFrames.count ? signature.normalizedFrames[index] : ""
            for subject in [name, frame.file ?? ""] where !subject.isEmpty {
                for component in components.components(of: subject) where !found.contains(component) {
                    found.append(component)
                    if component == "Playerbot" { botEvidence.append("frame \(index) \(name)") }
                }
            }
        }
        if botEvidence.isEmpty, let botLog { botEvidence.append(botLog) }
        if botEvidence.isEmpty, let latest = botActions.first {
            botEvidence.append(
                "\(botActions.count) bot(s) acted in the logs just before the crash (\(latest.bot), \(latest.secondsBeforeCrash) s before: \(latest.line.prefix(80)))"
            )
        }
        if botEvidence.isEmpty, components.components(of: logText).contains("Playerbot") {
            botEvidence.append("the log lines before the crash mention bots")
        }
        // An ASSERT printed without a stack: its message is all there is to say whose code was running.
        if botEvidence.isEmpty, frames.isEmpty, report.assertion != nil,
            components.components(of: String(report.text.prefix(4_000))).contains("Playerbot")
        {
            botEvidence.append("the assertion's text names bot code")
        }
        let isBot = !botEvidence.isEmpty
        let text = report.text.utf8.count > 2_000_000 ? String(report.text.prefix(2_000_000)) : report.text

        var matches: [Diagnosis.PatternMatch] = []
        for pattern in patterns {
            let outcome = pattern.matcher.evaluate(
                frames: examined, faultKind: signature.faultKind, signatureText: signature.signature,
                text: text + "\n" + logText, isBot: isBot)
            if outcome.matched {
                matches.append(
                    Diagnosis.PatternMatch(
                        id: pattern.id, name: pattern.name, severity: pattern.severity,
                        fixTemplates: pattern.fixTemplates,
                        evidence: outcome.evidence, upstreamFixes: pattern.upstreamFixes))
            }
        }
        matches.sort {
            $0.evidence.count != $1.evidence.count ? $0.evidence.count > $1.evidence.count : $0.severity > $1.severity
        }

        let top = topAppFrame(signature: signature, frames: frames)
        var suggestions: [Diagnosis.Claim] = []
        let rootCause: Diagnosis.Claim
        if let best = matches.first, let pattern = patterns.first(where: { $0.id == best.id }) {
            rootCause = Diagnosis.Claim(
                text: pattern.rootCause, evidence: ["pattern \(pattern.id) (\(pattern.file))"] + best.evidence)
            suggestions += pattern.suggestions.map { Diagnosis.Claim(text: $0, evidence: ["pattern \(pattern.id)"]) }
        } else {
            rootCause = genericCause(report, signature: signature, top: top)
        }
        suggestions += genericSuggestions(
            report, signature: signature, top: top, isBot: isBot, botEvidence: botEvidence)

        var severity = matches.map(\.severity).max() ?? baseSeverity(signature.faultKind)
        if Self.notCrashSignals.contains(report.exceptionCode ?? "") { severity = .low }
        if isBot, severity < .high, signature.faultKind != "ASSERTION" { severity = .high }
        return Diagnosis(
            severity: severity, isBotRelated: isBot, botEvidence: botEvidence, components: found,
            rootCause: rootCause, suggestions: suggestions, patterns: matches,
            clues: ReportReview.clues(report, signature: signature),
            verdict: ReportReview.verdict(report, signature: signature))
    }

    /// Signals gdb stops on that do not end the server.
    static let notCrashSignals: Set<String> = [
        "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGCHLD", "SIGWINCH", "SIGPIPE", "SIGUSR1", "SIGUSR2",
    ]

    private func topAppFrame(signature: CrashSignature, frames: [StackFrame]) -> (
        index: Int, name: String, frame: StackFrame
    )? {
        guard let first = signature.similarityFrames.first,
            let index = signature.normalizedFrames.firstIndex(of: first), index < frames.count
        else { return nil }
        return (index, first, frames[index])
    }

    private func baseSeverity(_ kind: String) -> Severity {
        switch kind {
        case "ASSERTION", "ERROR": .medium
        case "UNKNOWN": .low
        default: .high
        }
    }

    private func genericCause(
        _ report: CrashReport, signature: CrashSignature, top: (index: Int, name: String, frame: StackFrame)?
    ) -> Diagnosis.Claim {
        let frames = report.crashingThread?.frames ?? []
        let place = top.map { "\($0.name) (frame \($0.index))" } ?? "an unknown function"
        if report.isFreeze {
            let detectorOnly = signature.normalizedFrames.contains { $0.contains("FreezeDetector") }
            return .init(
                text: detectorOnly
                    ? "A freeze: the world thread stopped making progress and the freeze detector killed the server on purpose. The detector's own stack says nothing about the hang; the hung thread's stack is not in this report (take `thread apply all bt` so the world thread is kept)."
                    : "A freeze: the world thread stopped making progress in \(place) (a loop that does not end, or a wait on a lock), and the freeze detector killed the server.",
                evidence: ["freeze detector frame or `World Thread hangs` line", report.crashingThreadReason])
        }
        if Self.notCrashSignals.contains(report.exceptionCode ?? "") {
            return .init(
                text: "Not a crash: gdb stopped on \(report.exceptionCode ?? "a signal") and printed a waiting thread.",
                evidence: ["signal \(report.exceptionCode ?? "")"])
        }
        if let assertion = report.assertion {
            let condition = assertion.condition.map { " `\($0)`" } ?? " its condition"
            let debug =
                assertion.debugInfo.map {
                    " The debug info says: \($0.split(separator: "\n").joined(separator: " · "))."
                } ?? ""
            let caller = top.map { " The stack reaches it from \($0.name)." } ?? ""
            return .init(
                text:
                    "An assertion failed in \(assertion.function ?? "the asserting function"):\(condition) was false, so the server stopped itself on purpose.\(caller)\(debug) A caller handed it an object in a state it does not allow (often one that is being removed, or not in a map).",
                evidence: ["\(assertion.kind) at \(assertion.file ?? "?"):\(assertion.line.map(String.init) ?? "?")"])
        }
        let names = signature.normalizedFrames
        if let repeated = names.first(where: { name in names.filter { $0 == name }.count >= 10 }) {
            return .init(
                text: "Unbounded recursion through \(repeated) overflowed the stack.",
                evidence: ["\(repeated) appears \(names.filter { $0 == repeated }.count) times in the crashing stack"])
        }
        if let nullThis = frames.prefix(6).firstIndex(where: { ($0.arguments ?? "").contains("this=0x0") }) {
            return .init(
                text:
                    "\(FrameNormalizer.normalize(frames[nullThis])) was called on a null object (this=0x0): its caller used a pointer to an object that no longer exists or was never found.",
                evidence: ["frame \(nullThis) arguments: this=0x0"])
        }
        switch signature.faultKind {
        case "ACCESS_VIOLATION", "SIGSEGV", "SIGBUS":
            return .init(
                text:
                    "Invalid memory access in \(place): most often a dangling or null pointer to an object that was removed (a unit, player or bot that logged out, died or changed map) while still referenced.",
                evidence: ["fault kind \(signature.faultKind)"]
                    + (top.map { ["top in-app frame \($0.index) \($0.name)"] } ?? []))
        case "STACK_OVERFLOW":
            return .init(text: "The stack overflowed in \(place).", evidence: ["fault kind STACK_OVERFLOW"])
        case "CPP_EXCEPTION", "SIGABRT":
            return .init(
                text: "An uncaught exception or abort() ended the server in \(place).",
                evidence: ["fault kind \(signature.faultKind)"])
        default:
            return .init(
                text: report.threads.isEmpty
                    ? "The report holds no stack; only the fault kind \(signature.faultKind) is known."
                    : "The server crashed (\(signature.faultKind)) in \(place).",
                evidence: ["fault kind \(signature.faultKind)"])
        }
    }

    private func genericSuggestions(
        _ report: CrashReport, signature: CrashSignature, top: (index: Int, name: String, frame: StackFrame)?,
        isBot: Bool, botEvidence: [String]
    ) -> [Diagnosis.Claim] {
        var out: [Diagnosis.Claim] = []
        if Self.notCrashSignals.contains(report.exceptionCode ?? "") { return out }
        if report.isFreeze {
            out.append(
                .init(
                    text:
                        "Read the hung thread's top frames for a loop whose exit condition never becomes true, or a lock another thread holds; raise MaxCoreStuckTime only to capture more.",
                    evidence: ["freeze"]))
            return out
        }
        if let top {
            let location = top.frame.file.map {
                "\($0.split(separator: "/").suffix(3).joined(separator: "/"))\(top.frame.line.map { ":\($0)" } ?? "")"
            }
            out.append(
                .init(
                    text:
                        "Read \(top.name)\(location.map { " (\($0) in this build)" } ?? "") and check every pointer it dereferences for an object that can be gone by then.",
                    evidence: ["top in-app frame \(top.index)"]))
            if let callerIndex = signature.normalizedFrames.indices.first(where: {
                $0 > top.index && signature.similarityFrames.contains(signature.normalizedFrames[$0])
            }) {
                out.append(
                    .init(
                        text: "Check what \(signature.normalizedFrames[callerIndex]) passes to \(top.name).",
                        evidence: ["caller frame \(callerIndex)"]))
            }
        }
        if isBot {
            out.append(
                .init(
                    text:
                        "Bots are involved: check whether this code path assumes a real client (a socket, a session, spell mods set up at login) that a bot does not have.",
                    evidence: botEvidence))
        }
        if report.crashingThreadIndex == nil, !report.threads.isEmpty {
            out.append(
                .init(
                    text:
                        "The report does not say which thread crashed; capture it with `thread apply all bt full` after `bt` in gdb, or keep the Wheaty report whole.",
                    evidence: [report.crashingThreadReason]))
        }
        if signature.normalizedFrames.contains(where: { $0.contains("@") }) {
            out.append(
                .init(
                    text:
                        "Some frames have no symbols: build RelWithDebInfo (or keep the .pdb next to worldserver.exe) so frames get names.",
                    evidence: ["frames without function names"]))
        }
        return out
    }
}
