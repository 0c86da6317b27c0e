import Foundation

/// Reads the two stack layouts that programs print themselves, without gdb:
/// glibc's `backtrace_symbols()` (`./bin/mangosd(_ZN4UnitD1Ev+0x20c) [0x55c36514575c]`, vmangos, MaNGOS, custom
/// handlers) and boost::stacktrace (`3# Creature::Update(unsigned int) at /src/…/Creature.cpp:640`).
enum BacktraceLineParser {
    /// `module(symbol+0xOFF) [0xADDR]`, `module(+0xOFF) [0xADDR]`, or a bare `[0xADDR]`.
    static func glibcFrame(_ line: Substring, index: Int) -> StackFrame? {
        guard line.last == "]", let open = line.range(of: "[0x", options: .backwards) else { return nil }
        let address = line[line.index(after: open.lowerBound)..<line.index(before: line.endIndex)]
        guard address.dropFirst(2).allSatisfy(\.isHexDigit), address.count > 2 else { return nil }
        var frame = StackFrame(index: index, address: String(address))
        let head = ReportText.trimmed(line[..<open.lowerBound])
        if head.isEmpty { return frame }
        guard head.last == ")", let paren = head.firstIndex(of: "(") else { return nil }
        let module = head[..<paren]
        guard !module.contains(" ") || module.contains("/") else { return nil }
        frame.module = WheatyParser.moduleName(module)
        var symbol = head[head.index(after: paren)..<head.index(before: head.endIndex)]
        if let plus = symbol.lastIndex(of: "+") {
            frame.offset = String(symbol[symbol.index(after: plus)...])
            symbol = symbol[..<plus]
        }
        if !symbol.isEmpty {
            frame.function =
                symbol.hasPrefix("_Z") ? (ItaniumDemangler.demangle(String(symbol)) ?? String(symbol)) : String(symbol)
        }
        return frame
    }

    /// ` 0# Handler in ./worldserver`, `3# Creature::Update(unsigned int) at /src/…/Creature.cpp:640`,
    /// `5# 0x00007F0A1B2C3D4E in /lib/x86_64-linux-gnu/libc.so.6`.
    static func boostFrame(_ line: Substring) -> StackFrame? {
        let digits = line.prefix(while: { $0.isNumber })
        guard let number = Int(digits), digits.count < 5 else { return nil }
        var rest = line.dropFirst(digits.count)
        guard rest.hasPrefix("# ") else { return nil }
        rest = ReportText.trimmed(rest.dropFirst(2))
        var frame = StackFrame(index: number)
        if let at = rest.range(of: " at ", options: .backwards) {
            let location = rest[at.upperBound...]
            if let colon = location.lastIndex(of: ":"), let lineNumber = Int(location[location.index(after: colon)...])
            {
                frame.file = String(location[..<colon]).replacingOccurrencesOfBackslash()
                frame.line = lineNumber
                rest = rest[..<at.lowerBound]
            }
        } else if let within = rest.range(of: " in ", options: .backwards) {
            frame.module = WheatyParser.moduleName(rest[within.upperBound...])
            rest = rest[..<within.lowerBound]
        }
        rest = ReportText.trimmed(rest)
        if rest.hasPrefix("0x"), rest.dropFirst(2).allSatisfy(\.isHexDigit) {
            frame.address = String(rest)
        } else if !rest.isEmpty {
            frame.function =
                rest.hasPrefix("_Z") ? (ItaniumDemangler.demangle(String(rest)) ?? String(rest)) : String(rest)
        }
        return frame
    }

    static func parseGlibc(_ lines: [Substring], into report: inout CrashReport) {
        var frames: [StackFrame] = []
        for line in lines {
            let trimmed = ReportText.trimmed(line)
            if trimmed.hasPrefix("Received SIG") || trimmed.hasPrefix("Caught signal ") || trimmed.hasPrefix("Signal ")
            {
                if let name = trimmed.split(separator: " ").first(where: { $0.hasPrefix("SIG") }) {
                    report.exceptionCode = report.exceptionCode ?? String(name.prefix(while: { $0.isLetter }))
                }
                continue
            }
            if let frame = glibcFrame(trimmed, index: frames.count), frames.count < CrashReportParser.maxFramesPerThread
            {
                frames.append(frame)
            } else if !frames.isEmpty, trimmed.isEmpty {
                continue
            }
        }
        guard !frames.isEmpty else { return }
        report.threads = [CrashThread(name: "backtrace()", frames: frames)]
        report.crashingThreadIndex = 0
        report.crashingThreadReason = "the backtrace the server printed itself (backtrace_symbols)"
    }

    static func parseBoost(_ lines: [Substring], into report: inout CrashReport) {
        var stacks: [[StackFrame]] = []
        for line in lines {
            let trimmed = ReportText.trimmed(line)
            if let signal = GdbParser.signalName(in: trimmed) { report.exceptionCode = report.exceptionCode ?? signal }
            guard var frame = boostFrame(trimmed) else { continue }
            if frame.index == 0 || stacks.isEmpty { stacks.append([]) }
            frame.index = stacks[stacks.count - 1].count
            if frame.index < CrashReportParser.maxFramesPerThread { stacks[stacks.count - 1].append(frame) }
        }
        guard var frames = stacks.first, !frames.isEmpty else { return }
        // Printed from a signal handler: the handler's own frames come first, down to the libc trampoline that called
        // it (`__restore_rt`, or an unnamed libc frame); the crash is below that.
        func isHandler(_ frame: StackFrame) -> Bool {
            let name = frame.function ?? ""
            return name.contains("boost::stacktrace") || name.lowercased().contains("handler")
                || name.hasPrefix("__sigaction")
        }
        func isTrampoline(_ frame: StackFrame) -> Bool {
            (frame.function ?? "").contains("__restore_rt")
                || (frame.function == nil && (frame.module ?? "").hasPrefix("libc.so"))
        }
        if let handler = frames.prefix(6).lastIndex(where: isHandler) {
            let next = frames.index(after: handler)
            frames[next < frames.count && isTrampoline(frames[next]) ? next : handler].isSignalHandler = true
        }
        report.threads = stacks.enumerated().map { offset, stack in
            CrashThread(name: "boost::stacktrace \(offset + 1)", frames: offset == 0 ? frames : stack)
        }
        report.crashingThreadIndex = 0
        report.crashingThreadReason = "the first boost::stacktrace printed (the signal handler's)"
    }
}
