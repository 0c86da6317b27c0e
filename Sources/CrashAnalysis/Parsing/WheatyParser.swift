import CrashwatchKit
import Foundation

/// Reads Windows WheatyExceptionReport `.txt` files (see Docs/crash-formats.md).
enum WheatyParser {
    static func parse(_ lines: [Substring], into report: inout CrashReport) {
        var blocks: [[StackFrame]] = []
        var current: [StackFrame]?
        var index = 0
        var unreadable = 0
        defer {
            if unreadable > 0 {
                report.problems.append("\(unreadable) frame line(s) could not be read (cut off or hand-edited?)")
            }
        }
        while index < lines.count {
            let line = ReportText.trimmed(lines[index])
            index += 1
            if line.hasPrefix("========================") {
                // The locals section repeats every stack; reading it would count each frame twice.
                break
            }
            if let revision = ReportText.after("Revision:", in: line) {
                let value = ReportText.trimmed(revision)
                report.revision = String(value)
                report.buildHash = BuildRevision.hash(in: value)
            } else if let date = ReportText.after("Date ", in: line), report.crashTime == nil {
                report.crashTime = parseDate(date)
            } else if let exception = ReportText.after("Exception code:", in: line) {
                let value = ReportText.trimmed(exception)
                let code = value.prefix(while: { $0.isHexDigit })
                if !code.isEmpty { report.exceptionCode = String(code).uppercased() }
                let name = ReportText.trimmed(value.dropFirst(code.count))
                report.exceptionName = name.isEmpty ? nil : String(name)
            } else if let fault = ReportText.after("Fault address:", in: line) {
                // `Fault address:  00007FF6A1B2C3D4 01:00000000001A2B3C E:\path\worldserver.exe`
                let parts = ReportText.trimmed(fault).split(
                    separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
                if let address = parts.first { report.faultAddress = String(address) }
                if parts.count >= 2, parts[1].contains(":") { report.faultSectionOffset = String(parts[1]) }
                if parts.count == 3 { report.faultModule = String(ReportText.trimmed(parts[2])) }
            } else if line.hasPrefix("Call stack:") {
                if let current { blocks.append(current) }
                current = []
            } else if line.hasPrefix("Address"), line.contains("Frame") {
                if current == nil { current = [] }
            } else if let frame = parseFrame(line, index: current?.count ?? 0) {
                if current == nil { current = [] }
                if current!.count < CrashReportParser.maxFramesPerThread { current!.append(frame) }
            } else if current != nil, line.prefix(8).allSatisfy(\.isHexDigit), line.count >= 8 {
                unreadable += 1
            } else if ReportText.trimmed(line).isEmpty, let finished = current, !finished.isEmpty {
                blocks.append(finished)
                current = nil
            }
        }
        if let current, !current.isEmpty { blocks.append(current) }
        report.threads = blocks.prefix(CrashReportParser.maxThreads).map { CrashThread(frames: $0) }
        // The fault address line names the module the first frame is in (the frame lines of a stack do not).
        if let fault = report.faultAddress, let module = report.faultModule {
            for thread in report.threads.indices where report.threads[thread].frames.first?.address == fault {
                report.threads[thread].frames[0].module =
                    report.threads[thread].frames[0].module ?? moduleName(Substring(module))
            }
        }
        pickCrashingThread(&report)
    }

    /// `31:10:2025. Time 11:14` (day:month:year).
    static func parseDate(_ text: Substring) -> CivilTime? {
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count >= 5 else { return nil }
        return CivilTime(year: numbers[2], month: numbers[1], day: numbers[0], hour: numbers[3], minute: numbers[4])
    }

    /// `PC  FRAME  [inline] Symbol+DISP  path line N` or `PC  FRAME  SSSS:OFFSET module`, with the columns separated
    /// by any run of spaces or tabs (pastes collapse them) and the path possibly cut off.
    static func parseFrame(_ line: Substring, index: Int) -> StackFrame? {
        func token(_ text: Substring) -> (Substring, Substring) {
            let end = text.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? text.endIndex
            return (text[..<end], text[end...])
        }
        let (pc, afterPC) = token(line)
        guard pc.count >= 8, pc.count <= 16, ReportText.isHex(pc), !afterPC.isEmpty else { return nil }
        let (frameAddress, afterFrame) = token(ReportText.trimmed(afterPC))
        guard frameAddress.count >= 8, frameAddress.count <= 16, ReportText.isHex(frameAddress) else { return nil }
        var rest = ReportText.trimmed(afterFrame)
        // Wheaty always writes a symbol or a section:offset; nothing at all means the line was cut off.
        guard !rest.isEmpty else { return nil }
        var frame = StackFrame(index: index, address: String(pc))
        if rest.hasPrefix("[inline] ") {
            frame.isInline = true
            rest = ReportText.trimmed(rest.dropFirst("[inline] ".count))
        }
        // No symbol: `0001:000000000043AF01 E:\path\worldserver.exe`.
        let (first, afterFirst) = token(rest)
        if let colon = first.firstIndex(of: ":"), first[..<colon].count == 4 || first[..<colon].count == 2,
            ReportText.isHex(first[..<colon]), ReportText.isHex(first[first.index(after: colon)...])
        {
            frame.offset = String(first)
            let module = ReportText.trimmed(afterFirst)
            if !module.isEmpty { frame.module = moduleName(module) }
            return frame
        }
        // Source location: a path (drive, UNC or absolute), then ` line N` unless the paste cut it off.
        if let pathStart = pathStart(in: rest) {
            var location = ReportText.trimmed(rest[pathStart...])
            if let lineRange = location.range(of: " line ", options: .backwards),
                let number = Int(ReportText.trimmed(location[lineRange.upperBound...]))
            {
                frame.line = number
                location = location[..<lineRange.lowerBound]
            }
            frame.file = normalisePath(ReportText.trimmed(location))
            rest = ReportText.trimmed(rest[..<pathStart])
        }
        if let plus = rest.lastIndex(of: "+"), ReportText.isHex(rest[rest.index(after: plus)...]) {
            frame.offset = "0x" + rest[rest.index(after: plus)...]
            rest = rest[..<plus]
        }
        frame.function = rest.isEmpty ? nil : String(rest)
        return frame
    }

    /// Where a source path starts after the symbol: `C:\…`, `c:/…`, `\\server\…` or `/…`, after whitespace.
    static func pathStart(in text: Substring) -> Substring.Index? {
        var index = text.startIndex
        var previousIsSpace = false
        while index < text.endIndex {
            let character = text[index]
            if previousIsSpace {
                let rest = text[index...]
                let chars = Array(rest.prefix(3))
                if chars.count >= 3, chars[0].isLetter, chars[1] == ":", chars[2] == "\\" || chars[2] == "/" {
                    return index
                }
                if rest.hasPrefix("\\\\") || (chars.first == "/" && chars.count > 1 && chars[1] != " ") { return index }
            }
            previousIsSpace = character == " " || character == "\t"
            index = text.index(after: index)
        }
        return nil
    }

    static func moduleName(_ path: Substring) -> String {
        String(path.split(whereSeparator: { $0 == "\\" || $0 == "/" }).last ?? path)
    }

    static func normalisePath(_ path: Substring) -> String {
        String(path).replacingOccurrencesOfBackslash()
    }

    static func pickCrashingThread(_ report: inout CrashReport) {
        guard !report.threads.isEmpty else {
            report.crashingThreadReason = "no call stack in the report"
            return
        }
        if report.threads.count == 1 {
            report.crashingThreadIndex = 0
            report.crashingThreadReason = "the only stack in the report"
            return
        }
        if !ReportText.isIdle(report.threads[0]) {
            report.crashingThreadIndex = 0
            report.crashingThreadReason = "the first Call stack block (walked from the exception context)"
            return
        }
        if let dispatch = report.threads.firstIndex(where: { thread in
            thread.frames.contains { ($0.function ?? "").hasPrefix("KiUserExceptionDispatcher") }
        }) {
            report.crashingThreadIndex = dispatch
            report.crashingThreadReason =
                "stack \(dispatch + 1) holds KiUserExceptionDispatcher (the first stack is idle)"
            return
        }
        if let fault = report.faultAddress,
            let match = report.threads.firstIndex(where: { $0.frames.first?.address == fault })
        {
            report.crashingThreadIndex = match
            report.crashingThreadReason = "stack \(match + 1) starts at the fault address"
            return
        }
        report.crashingThreadIndex = nil
        report.crashingThreadReason =
            "the first stack is an idle wait and no stack holds the exception dispatcher or the fault address"
    }
}

extension String {
    func replacingOccurrencesOfBackslash() -> String {
        String(map { $0 == "\\" ? "/" : $0 })
    }
}
