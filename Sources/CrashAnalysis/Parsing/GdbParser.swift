import Foundation

/// Reads gdb output: `bt`, `bt full`, `thread apply all bt [full]`, live-run and core-file sessions.
enum GdbParser {
    /// Which thread gdb says was current when the signal arrived.
    struct CrashMarker {
        var threadNumber: String?
        var lwp: String?
        var source: String
    }

    static func parse(_ lines: [Substring], into report: inout CrashReport) {
        // Stacks printed before any thread list: the frame shown with the signal, `bt`, `bt full` (the same stack
        // again). Each run starts at frame 0; the longest is the current thread's whole stack.
        var runs: [[StackFrame]] = []
        var listed: [CrashThread] = []
        var marker: CrashMarker?
        var stopFrame: StackFrame?
        var linesSinceSignal: Int?
        var lastNumber: Int?
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            let trimmed = ReportText.trimmed(line)
            if let signal = signalLine(trimmed) {
                report.exceptionCode = report.exceptionCode ?? signal.code
                report.exceptionName = report.exceptionName ?? signal.name
                if let number = signal.thread {
                    marker = CrashMarker(threadNumber: number, source: "gdb: Thread \(number) received signal")
                }
                linesSinceSignal = 0
                continue
            }
            if let found = markerLine(trimmed) {
                marker = marker ?? found
                continue
            }
            if let header = threadHeader(trimmed) {
                if listed.count < CrashReportParser.maxThreads { listed.append(header) }
                lastNumber = nil
                linesSinceSignal = nil
                continue
            }
            let expected = lastNumber.map { $0 + 1 }
            guard isFrameStart(trimmed) || isUnmarkedFrame(trimmed, expected: expected) else {
                // gdb prints the frame it stopped in right after the signal line, without a number.
                if let count = linesSinceSignal, stopFrame == nil, listed.isEmpty {
                    if let frame = stopLine(trimmed) {
                        stopFrame = frame
                        linesSinceSignal = nil
                    } else if count < 4, !trimmed.isEmpty {
                        linesSinceSignal = count + 1
                    }
                }
                continue
            }
            linesSinceSignal = nil
            let logical = joinWrapped(trimmed, lines: lines, index: &index)
            guard var frame = parseFrame(Substring(logical)) else {
                report.problems.append("a frame line could not be read: \(logical.prefix(80))")
                continue
            }
            if !listed.isEmpty {
                let last = listed.count - 1
                // A second `bt full` of the same thread restarts at 0: the stack is already read.
                if frame.index == 0, !listed[last].frames.isEmpty { lastNumber = nil; continue }
                if listed[last].frames.count < CrashReportParser.maxFramesPerThread {
                    frame.index = listed[last].frames.count
                    listed[last].frames.append(frame)
                }
            } else {
                if frame.index == 0 || runs.isEmpty || frame.index != (lastNumber ?? -1) + 1 { runs.append([]) }
                if runs[runs.count - 1].count < CrashReportParser.maxFramesPerThread {
                    frame.index = runs[runs.count - 1].count
                    runs[runs.count - 1].append(frame)
                }
            }
            lastNumber = frame.index
        }
        var primary = runs.max(by: { $0.count < $1.count }) ?? []
        if primary.isEmpty, let stopFrame { primary = [stopFrame] }
        assemble(primary: primary, listed: listed, marker: marker, into: &report)
    }

    /// Joins what gdb or a paste wrapped: a function name whose template arguments are still open, or an
    /// unbalanced argument list, continued on the next lines (at most eight, and never into the next frame), then a
    /// trailing `at …` / `from …` line, or the location after an `at` that ends the line.
    static func joinWrapped(_ first: Substring, lines: [Substring], index: inout Int) -> String {
        var logical = String(first)
        var joined = 0
        while parenthesisBalance(logical) > 0 || nameIsOpen(logical), index < lines.count, joined < 8 {
            let next = ReportText.trimmed(lines[index])
            if next.isEmpty || isFrameStart(next) || threadHeader(next) != nil { break }
            logical += " " + next
            index += 1
            joined += 1
        }
        if index < lines.count {
            let next = ReportText.trimmed(lines[index])
            let dangling = logical.hasSuffix(" at") || logical.hasSuffix(" from")
            if next.hasPrefix("at ") || next.hasPrefix("from ")
                || (dangling && !next.isEmpty && !isFrameStart(next) && threadHeader(next) == nil)
            {
                logical += " " + next
                index += 1
            }
        }
        return logical
    }

    /// A frame line that ends inside its function's template arguments (`in std::basic_ios<char,
    /// std::char_traits<char>`, the rest on the next line), before its argument list has started.
    static func nameIsOpen(_ line: String) -> Bool {
        // After ` in `, or, for a frame gdb printed without an address, after its number.
        let name =
            line.range(of: " in ").map { line[$0.upperBound...] }
            ?? line.drop(while: { $0 == "#" }).drop(while: \.isNumber).drop(while: { $0 == " " })
        guard !name.contains(" (") else { return false }
        var depth = 0
        var rest = Substring(name)
        while let character = rest.first {
            // `operator<`, `operator<<`, `operator->`: not brackets.
            if rest.hasPrefix("operator") {
                rest = rest.dropFirst("operator".count).drop(while: { "<>-=".contains($0) })
                continue
            }
            if character == "<" { depth += 1 } else if character == ">" { depth -= 1 }
            rest = rest.dropFirst()
        }
        return depth > 0
    }

    /// The frame gdb shows when it stops: `0x… in Func (args) at file:line` or `Func (args) at file:line`.
    static func stopLine(_ line: Substring) -> StackFrame? {
        guard !line.hasPrefix("["), !line.hasPrefix("#"),
            line.first.map({ !$0.isNumber || line.hasPrefix("0x") }) == true
        else { return nil }
        let located = line.contains(" at ") || line.contains(" from ")
        guard (line.hasPrefix("0x") && line.contains(" in ")) || (located && line.contains(" (")) else { return nil }
        guard var frame = parseFrame(Substring("#0  " + line)) else { return nil }
        frame.index = 0
        return frame.function == nil && frame.address == nil ? nil : frame
    }

    /// `1  std::basic_ios<…>::~basic_ios (this=…) at …`: markdown ate the `#` and gdb printed no address (inlined),
    /// so the number must continue the stack above.
    static func isUnmarkedFrame(_ line: Substring, expected: Int?) -> Bool {
        guard let expected else { return false }
        let digits = line.prefix(while: { $0.isNumber })
        guard let number = Int(digits), number == expected else { return false }
        let rest = line.dropFirst(digits.count)
        guard rest.first == " " else { return false }
        let body = rest.drop(while: { $0 == " " })
        guard let first = body.first, first.isLetter || first == "_" || first == "~" else { return false }
        return body.contains(" (") || body.contains(" at ") || body.contains(" from ")
    }

    private static func assemble(
        primary: [StackFrame], listed: [CrashThread], marker: CrashMarker?, into report: inout CrashReport
    ) {
        var threads = listed.filter { !$0.frames.isEmpty }
        var crashing: Int?
        var reason = ""
        if let marker,
            let match = threads.firstIndex(where: { thread in
                (marker.threadNumber != nil && thread.id == marker.threadNumber)
                    || (marker.lwp != nil && thread.name?.contains("LWP \(marker.lwp!)") == true)
            })
        {
            crashing = match
            reason = "\(marker.source), matching thread \(threads[match].id ?? "?") of the thread list"
        } else if let top = primary.first?.address,
            let match = threads.firstIndex(where: { $0.frames.first?.address == top })
        {
            crashing = match
            reason = "thread \(threads[match].id ?? "?") of the thread list starts where the signal stopped"
        }
        if let crashing {
            // The backtrace printed with the signal can be longer than the thread list's copy (a cut paste).
            if primary.count > threads[crashing].frames.count { threads[crashing].frames = primary }
            report.threads = threads
            report.crashingThreadIndex = crashing
            report.crashingThreadReason = reason
            return
        }
        if !primary.isEmpty {
            report.threads =
                [CrashThread(id: marker?.threadNumber, name: "current thread (bt)", frames: primary)] + threads
            report.crashingThreadIndex = 0
            report.crashingThreadReason =
                marker.map { "\($0.source); its backtrace is the one printed before the thread list" }
                ?? (report.exceptionCode != nil
                    ? "the backtrace printed with the signal (gdb's current thread)"
                    : "the backtrace printed before any thread list (gdb's current thread)")
            return
        }
        report.threads = threads
        if let handler = report.threads.firstIndex(where: { $0.frames.contains { $0.isSignalHandler } }) {
            if report.exceptionCode == nil {
                report.exceptionCode = "SIGNAL"
                report.exceptionName = "a signal (gdb shows <signal handler called>; the signal itself is not named)"
            }
            report.crashingThreadIndex = handler
            report.crashingThreadReason = "thread \(report.threads[handler].id ?? "?") holds <signal handler called>"
            return
        }
        let fatalTops = [
            "raise", "__GI_raise", "abort", "__GI_abort", "__pthread_kill", "Trinity::Assert", "Acore::Assert",
            "Trinity::Abort", "Acore::Abort", "Trinity::Fatal", "Acore::Fatal",
        ]
        if let aborted = report.threads.firstIndex(where: { thread in
            thread.frames.prefix(4).contains { frame in fatalTops.contains { (frame.function ?? "").hasPrefix($0) } }
        }) {
            report.crashingThreadIndex = aborted
            report.crashingThreadReason = "thread \(report.threads[aborted].id ?? "?") is in raise/abort/assert"
            return
        }
        if report.threads.count == 1 {
            report.crashingThreadIndex = 0
            report.crashingThreadReason = "the only stack in the report"
            return
        }
        report.crashingThreadIndex = nil
        report.crashingThreadReason =
            report.threads.isEmpty
            ? "no backtrace in the report"
            : "the report lists \(report.threads.count) threads but does not say which one crashed"
    }

    // MARK: - Lines

    /// The line that says which signal stopped the process.
    ///
    /// Such as `Program terminated with signal SIGSEGV, Segmentation fault.`, `Thread 16 "worldserver" received signal
    /// …`, `It stopped with signal …` or `signal 11, Segmentation fault.`
    static func signalLine(_ line: Substring) -> (code: String, name: String, thread: String?)? {
        guard let range = line.range(of: "signal ") else { return nil }
        guard
            line.contains("received signal") || line.contains("terminated with signal")
                || line.contains("stopped with signal")
        else { return nil }
        let rest = line[range.upperBound...]
        let code = rest.prefix(while: { $0 != "," && $0 != " " })
        var name = ReportText.trimmed(rest.dropFirst(code.count).drop(while: { $0 == "," || $0 == " " }))
        if name.last == "." { name = name.dropLast() }
        var signal = String(code)
        if let number = Int(code) { signal = ReportText.signalNames[number] ?? "signal \(number)" }
        var thread: String?
        if line.hasPrefix("Thread "), line.contains("received signal") {
            thread = String(line.dropFirst("Thread ".count).prefix(while: { $0.isNumber }))
        }
        return (signal, String(name), thread?.isEmpty == true ? nil : thread)
    }

    /// `SIGSEGV` from any line that reports a signal (`Received SIGSEGV`, `Caught signal SIGABRT`, gdb's lines).
    static func signalName(in line: Substring) -> String? {
        guard line.contains("signal") || line.contains("Signal") || line.hasPrefix("Received SIG") else { return nil }
        if let parsed = signalLine(line) { return parsed.code }
        for word in line.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        where word.hasPrefix("SIG") && word.count >= 6 {
            if word.dropFirst(3).allSatisfy(\.isUppercase) { return String(word) }
        }
        return nil
    }

    static func markerLine(_ line: Substring) -> CrashMarker? {
        if line.hasPrefix("[Current thread is ") {
            let number = line.dropFirst("[Current thread is ".count).prefix(while: { $0.isNumber })
            return CrashMarker(
                threadNumber: String(number), lwp: lwp(in: line), source: "gdb: [Current thread is \(number)]")
        }
        if line.hasPrefix("[Switching to Thread "), let lwp = lwp(in: line) {
            return CrashMarker(lwp: lwp, source: "gdb: [Switching to Thread … (LWP \(lwp))]")
        }
        if line.hasPrefix("Using the running image of child Thread"), let lwp = lwp(in: line) {
            return CrashMarker(lwp: lwp, source: "gdb: running image of child LWP \(lwp)")
        }
        if line.hasPrefix("* "), line.contains("Thread 0x") {
            let number = line.dropFirst(2).drop(while: { $0 == " " }).prefix(while: { $0.isNumber })
            if !number.isEmpty {
                return CrashMarker(threadNumber: String(number), source: "gdb: info threads marks \(number) with *")
            }
        }
        return nil
    }

    static func lwp(in line: Substring) -> String? {
        guard let range = line.range(of: "(LWP ") else { return nil }
        let digits = line[range.upperBound...].prefix(while: { $0.isNumber })
        return digits.isEmpty ? nil : String(digits)
    }

    /// `Thread 3 (Thread 0x7f… (LWP 123)):` or `Thread 3 (Thread 0x7f… (LWP 123) "worldserver"):`.
    static func threadHeader(_ line: Substring) -> CrashThread? {
        guard line.hasPrefix("Thread "), line.hasSuffix(":"), line.contains("(Thread ") || line.contains("(LWP ") else {
            return nil
        }
        let number = line.dropFirst("Thread ".count).prefix(while: { $0.isNumber })
        guard !number.isEmpty else { return nil }
        var name: String?
        if let lwp = lwp(in: line) { name = "LWP \(lwp)" }
        if let quote = line.firstIndex(of: "\""), let end = line[line.index(after: quote)...].firstIndex(of: "\"") {
            name = (name.map { $0 + " " } ?? "") + "\"" + line[line.index(after: quote)..<end] + "\""
        }
        return CrashThread(id: String(number), name: name)
    }

    /// `#12 0x… in …`, `#3  Func (…) at …` (inlined), `#5  <signal handler called>`, and `0  0x… in …` where
    /// markdown ate the `#`.
    static func isFrameStart(_ line: Substring) -> Bool {
        var rest = line
        let hashed = rest.first == "#"
        if hashed { rest = rest.dropFirst() }
        let digits = rest.prefix(while: { $0.isNumber })
        guard !digits.isEmpty, digits.count < 6 else { return false }
        rest = rest.dropFirst(digits.count)
        guard rest.first == " " else { return false }
        rest = rest.drop(while: { $0 == " " })
        if rest.hasPrefix("0x") { return true }
        guard hashed else { return false }
        return rest.hasPrefix("<signal handler called>") || rest.contains(" (") || rest.contains(" at ")
    }

    static func parenthesisBalance(_ text: String) -> Int {
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 } else if character == ")" { depth -= 1 }
        }
        return depth
    }

    static func parseFrame(_ line: Substring) -> StackFrame? {
        var rest = line.first == "#" ? line.dropFirst() : line
        let digits = rest.prefix(while: { $0.isNumber })
        guard let number = Int(digits) else { return nil }
        rest = rest.dropFirst(digits.count).drop(while: { $0 == " " })
        var frame = StackFrame(index: number)
        if rest.hasPrefix("<signal handler called>") {
            frame.isSignalHandler = true
            frame.function = "<signal handler called>"
            return frame
        }
        if rest.hasPrefix("0x") {
            let address = rest.prefix(while: { !$0.isWhitespace })
            frame.address = String(address)
            rest = rest.dropFirst(address.count).drop(while: { $0 == " " })
            if rest.hasPrefix("in ") { rest = rest.dropFirst(3) }
        } else {
            frame.isInline = true
        }
        if let at = rest.range(of: " at ", options: .backwards), parenthesisBalance(String(rest[at.upperBound...])) == 0
        {
            let location = rest[at.upperBound...]
            if let colon = location.lastIndex(of: ":"), let lineNumber = Int(location[location.index(after: colon)...])
            {
                frame.file = String(location[..<colon]).replacingOccurrencesOfBackslash()
                frame.line = lineNumber
            } else {
                frame.file = String(location)
            }
            rest = rest[..<at.lowerBound]
        } else if let from = rest.range(of: " from ", options: .backwards) {
            frame.module = WheatyParser.moduleName(rest[from.upperBound...])
            rest = rest[..<from.lowerBound]
        }
        rest = ReportText.trimmed(rest)
        // gdb writes `Function (args)`: the argument list opens at the first ` (` outside template brackets. A cut
        // paste can leave it unclosed.
        if let open = argumentListStart(rest) {
            var arguments = rest[rest.index(after: open)...]
            if arguments.last == ")", parenthesisBalance(String(arguments)) < 0 { arguments = arguments.dropLast() }
            frame.arguments = arguments.isEmpty ? nil : String(arguments)
            rest = ReportText.trimmed(rest[..<open])
        } else if rest.last == ")", let open = matchingOpen(rest), open > rest.startIndex,
            rest[rest.index(before: open)] == " "
        {
            let arguments = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
            frame.arguments = arguments.isEmpty ? nil : String(arguments)
            rest = ReportText.trimmed(rest[..<open])
        }
        frame.function = rest.isEmpty || rest == "??" ? nil : String(rest)
        return frame
    }

    /// The `(` of ` (` at template depth 0, when it is not gdb's `(anonymous namespace)`.
    static func argumentListStart(_ text: Substring) -> Substring.Index? {
        var angle = 0, paren = 0
        var previous: Character = "\0"
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            switch character {
            case "<" where !text[..<index].hasSuffix("operator") && !text[..<index].hasSuffix("operator<"): angle += 1
            case ">" where angle > 0 && previous != "-": angle -= 1
            case "(":
                if angle == 0, paren == 0, previous == " ", !text[index...].hasPrefix("(anonymous namespace)") {
                    return index
                }
                paren += 1
            case ")": paren = max(0, paren - 1)
            default: break
            }
            previous = character
            index = text.index(after: index)
        }
        return nil
    }

    /// Index of the `(` that matches the final `)`.
    static func matchingOpen(_ text: Substring) -> Substring.Index? {
        var depth = 0
        var index = text.endIndex
        while index > text.startIndex {
            index = text.index(before: index)
            if text[index] == ")" { depth += 1 }
            if text[index] == "(" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }
}
