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
        var primary: [StackFrame] = []
        var primaryDone = false
        var listed: [CrashThread] = []
        var marker: CrashMarker?
        var index = 0
        while index < lines.count {
            let line = lines[index]
            index += 1
            let trimmed = ReportText.trimmed(line)
            if let signal = signalLine(trimmed) {
                report.exceptionCode = report.exceptionCode ?? signal.code
                report.exceptionName = report.exceptionName ?? signal.name
                if let number = signal.thread { marker = CrashMarker(threadNumber: number, source: "gdb: Thread \(number) received signal") }
                continue
            }
            if let found = markerLine(trimmed) {
                marker = marker ?? found
                continue
            }
            if let header = threadHeader(trimmed) {
                if listed.count < CrashReportParser.maxThreads { listed.append(header) }
                continue
            }
            guard isFrameStart(trimmed) else { continue }
            // Join what gdb wrapped: an unbalanced argument list, then a trailing `at …` / `from …` line.
            var logical = String(trimmed)
            while parenthesisBalance(logical) > 0, index < lines.count {
                logical += " " + ReportText.trimmed(lines[index])
                index += 1
            }
            if index < lines.count {
                let next = ReportText.trimmed(lines[index])
                if next.hasPrefix("at ") || next.hasPrefix("from ") {
                    logical += " " + next
                    index += 1
                }
            }
            guard let frame = parseFrame(Substring(logical)) else {
                report.problems.append("a frame line could not be read: \(logical.prefix(80))")
                continue
            }
            if !listed.isEmpty {
                if listed[listed.count - 1].frames.count < CrashReportParser.maxFramesPerThread {
                    var copy = frame
                    copy.index = listed[listed.count - 1].frames.count
                    listed[listed.count - 1].frames.append(copy)
                }
            } else if !primaryDone {
                // `bt full` after `bt` starts again at #0: the same stack, already read.
                if frame.index == 0, !primary.isEmpty {
                    primaryDone = true
                } else if primary.count < CrashReportParser.maxFramesPerThread {
                    var copy = frame
                    copy.index = primary.count
                    primary.append(copy)
                }
            }
        }
        assemble(primary: primary, listed: listed, marker: marker, into: &report)
    }

    private static func assemble(
        primary: [StackFrame], listed: [CrashThread], marker: CrashMarker?, into report: inout CrashReport
    ) {
        if let marker, let match = listed.firstIndex(where: { thread in
            (marker.threadNumber != nil && thread.id == marker.threadNumber)
                || (marker.lwp != nil && thread.name?.contains("LWP \(marker.lwp!)") == true)
        }), !listed[match].frames.isEmpty {
            report.threads = listed
            report.crashingThreadIndex = match
            report.crashingThreadReason = "\(marker.source), matching thread \(listed[match].id ?? "?") of the thread list"
            return
        }
        if !primary.isEmpty {
            report.threads = [CrashThread(id: marker?.threadNumber, name: "current thread (bt)", frames: primary)] + listed
            report.crashingThreadIndex = 0
            report.crashingThreadReason =
                marker.map { "\($0.source); its backtrace is the one printed before the thread list" }
                ?? (report.exceptionCode != nil
                    ? "the backtrace printed with the signal (gdb's current thread)"
                    : "the backtrace printed before any thread list (gdb's current thread)")
            return
        }
        report.threads = listed.filter { !$0.frames.isEmpty }
        if let handler = report.threads.firstIndex(where: { $0.frames.contains { $0.isSignalHandler } }) {
            if report.exceptionCode == nil {
                report.exceptionCode = "SIGNAL"
                report.exceptionName = "a signal (gdb shows <signal handler called>; the signal itself is not named)"
            }
            report.crashingThreadIndex = handler
            report.crashingThreadReason = "thread \(report.threads[handler].id ?? "?") holds <signal handler called>"
            return
        }
        let fatalTops = ["raise", "__GI_raise", "abort", "__GI_abort", "__pthread_kill", "Trinity::Assert", "Acore::Assert",
                         "Trinity::Abort", "Acore::Abort", "Trinity::Fatal", "Acore::Fatal"]
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
        report.crashingThreadReason = report.threads.isEmpty
            ? "no backtrace in the report"
            : "the report lists \(report.threads.count) threads but does not say which one crashed"
    }

    // MARK: - Lines

    /// `Program terminated with signal SIGSEGV, Segmentation fault.`, `Thread 16 "worldserver" received signal …`,
    /// `It stopped with signal …`, `signal 11, Segmentation fault.`
    static func signalLine(_ line: Substring) -> (code: String, name: String, thread: String?)? {
        guard let range = line.range(of: "signal ") else { return nil }
        guard line.contains("received signal") || line.contains("terminated with signal")
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

    static func markerLine(_ line: Substring) -> CrashMarker? {
        if line.hasPrefix("[Current thread is ") {
            let number = line.dropFirst("[Current thread is ".count).prefix(while: { $0.isNumber })
            return CrashMarker(threadNumber: String(number), lwp: lwp(in: line), source: "gdb: [Current thread is \(number)]")
        }
        if line.hasPrefix("[Switching to Thread "), let lwp = lwp(in: line) {
            return CrashMarker(lwp: lwp, source: "gdb: [Switching to Thread … (LWP \(lwp))]")
        }
        if line.hasPrefix("Using the running image of child Thread"), let lwp = lwp(in: line) {
            return CrashMarker(lwp: lwp, source: "gdb: running image of child LWP \(lwp)")
        }
        if line.hasPrefix("* "), line.contains("Thread 0x") {
            let number = line.dropFirst(2).drop(while: { $0 == " " }).prefix(while: { $0.isNumber })
            if !number.isEmpty { return CrashMarker(threadNumber: String(number), source: "gdb: info threads marks \(number) with *") }
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
        if let at = rest.range(of: " at ", options: .backwards), parenthesisBalance(String(rest[at.upperBound...])) == 0 {
            let location = rest[at.upperBound...]
            if let colon = location.lastIndex(of: ":"), let lineNumber = Int(location[location.index(after: colon)...]) {
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
        // The argument list is the last top-level parenthesised group.
        if rest.last == ")", let open = matchingOpen(rest) {
            let arguments = rest[rest.index(after: open)..<rest.index(before: rest.endIndex)]
            frame.arguments = arguments.isEmpty ? nil : String(arguments)
            rest = ReportText.trimmed(rest[..<open])
        }
        frame.function = rest.isEmpty || rest == "??" ? nil : String(rest)
        return frame
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
