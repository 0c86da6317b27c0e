import Foundation

/// Reads CDB / WinDbg `!analyze -v` output.
enum CdbParser {
    static func parse(_ lines: [Substring], into report: inout CrashReport) {
        var frames: [StackFrame] = []
        var inStack = false
        var faultingThread: String?
        for line in lines {
            let trimmed = ReportText.trimmed(line)
            if inStack {
                if trimmed.isEmpty || (trimmed.hasSuffix(":") && !trimmed.contains(" : ")) {
                    inStack = false
                } else if let frame = parseStackLine(trimmed, index: frames.count),
                    frames.count < CrashReportParser.maxFramesPerThread
                {
                    frames.append(frame)
                    continue
                } else {
                    continue
                }
            }
            if trimmed.hasPrefix("STACK_TEXT:") {
                inStack = true
            } else if let code = ReportText.after("ExceptionCode: ", in: trimmed) {
                let hex = code.prefix(while: { $0.isHexDigit })
                if !hex.isEmpty { report.exceptionCode = String(hex).uppercased() }
                if let open = code.firstIndex(of: "("), let close = code.lastIndex(of: ")"), open < close {
                    report.exceptionName = String(code[code.index(after: open)..<close])
                }
            } else if let code = ReportText.after("EXCEPTION_CODE_STR:", in: trimmed), report.exceptionCode == nil,
                !ReportText.trimmed(code).isEmpty
            {
                report.exceptionCode = String(ReportText.trimmed(code)).uppercased()
            } else if let address = ReportText.after("ExceptionAddress: ", in: trimmed) {
                report.faultAddress = String(address.prefix(while: { !$0.isWhitespace })).replacingOccurrences(
                    of: "`", with: "")
            } else if let thread = ReportText.after("FAULTING_THREAD:", in: trimmed) {
                faultingThread = String(ReportText.trimmed(thread))
            } else if let image = ReportText.after("IMAGE_NAME:", in: trimmed) {
                report.faultModule = String(ReportText.trimmed(image))
            }
        }
        guard !frames.isEmpty else {
            report.crashingThreadReason = "no STACK_TEXT in the !analyze output"
            return
        }
        report.threads = [CrashThread(id: faultingThread, name: "faulting thread (STACK_TEXT)", frames: frames)]
        report.crashingThreadIndex = 0
        report.crashingThreadReason = "STACK_TEXT: the faulting thread after .ecxr"
    }

    /// `<Child-SP> <RetAddr> : <args> : module!Func+0x1a3 [path @ line]`.
    static func parseStackLine(_ line: Substring, index: Int) -> StackFrame? {
        guard let lastColon = line.range(of: " : ", options: .backwards) else { return nil }
        var symbol = ReportText.trimmed(line[lastColon.upperBound...])
        var frame = StackFrame(
            index: index,
            address: String(line.prefix(while: { !$0.isWhitespace })).replacingOccurrences(of: "`", with: ""))
        if symbol.last == "]", let open = symbol.lastIndex(of: "[") {
            let location = symbol[symbol.index(after: open)..<symbol.index(before: symbol.endIndex)]
            if let at = location.range(of: " @ ") {
                frame.file = String(location[..<at.lowerBound]).replacingOccurrencesOfBackslash()
                frame.line = Int(ReportText.trimmed(location[at.upperBound...]))
            }
            symbol = ReportText.trimmed(symbol[..<open])
        }
        if let bang = symbol.firstIndex(of: "!") {
            frame.module = String(symbol[..<bang])
            symbol = symbol[symbol.index(after: bang)...]
        }
        if let plus = symbol.range(of: "+0x", options: .backwards) {
            frame.offset = "0x" + symbol[plus.upperBound...]
            symbol = symbol[..<plus.lowerBound]
        }
        frame.function = symbol.isEmpty ? nil : String(symbol)
        return frame
    }
}
