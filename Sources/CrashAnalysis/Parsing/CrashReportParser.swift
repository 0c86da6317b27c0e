import Foundation

/// Turns crash-report text into a `CrashReport`.
///
/// Never throws and never traps: whatever cannot be read is listed in the report's `problems`, and the text is kept.
public enum CrashReportParser {
    /// Reports larger than this are parsed from their first part only (and say so); 100 MB pastes happen.
    public static let maxParsedBytes = 8 * 1024 * 1024
    static let maxFramesPerThread = 1_000
    static let maxThreads = 512

    public static func parse(_ text: String) -> CrashReport {
        if text.isEmpty {
            var report = CrashReport(format: .unknown, rawText: text)
            report.problems.append("the report is empty")
            report.crashingThreadReason = "the report is empty"
            return report
        }
        var parsed = Substring(text)
        var problems: [String] = []
        if text.utf8.count > maxParsedBytes {
            let end = text.utf8.index(text.utf8.startIndex, offsetBy: maxParsedBytes)
            parsed = text[..<end]
            problems.append("the report is \(text.utf8.count / 1_048_576) MiB; only its first 8 MiB were parsed")
        }
        if looksBinary(parsed) {
            var report = CrashReport(format: .unknown, rawText: text)
            report.problems = problems + ["the file is binary (a minidump .dmp?), not a text report"]
            report.crashingThreadReason = "binary input"
            return report
        }
        let unwrapped = ReportText.unwrapped(parsed)
        let lines = ReportText.cleanLines(unwrapped.map { Substring($0) } ?? parsed)
        let format = detect(lines)
        var report = CrashReport(format: format, rawText: text)
        report.unwrappedText = unwrapped
        report.problems = problems
        switch format {
        case .wheaty: WheatyParser.parse(lines, into: &report)
        case .gdb: GdbParser.parse(lines, into: &report)
        case .cdb: CdbParser.parse(lines, into: &report)
        case .glibcBacktrace: BacktraceLineParser.parseGlibc(lines, into: &report)
        case .boostStacktrace: BacktraceLineParser.parseBoost(lines, into: &report)
        case .assertion, .unknown: break
        }
        if report.revision == nil, let line = BuildRevision.line(in: lines) {
            report.revision = String(line)
            report.buildHash = BuildRevision.hash(in: line)
        }
        // A Wheaty header pasted without the rest (`Date 17:5:2016. Time 22:35`) still says when the crash was: with
        // the build, that is what ties a cut copy to the full report of the same crash.
        if report.crashTime == nil, report.revision != nil,
            let date = lines.prefix(40).lazy.compactMap({ ReportText.after("Date ", in: $0) }).first(where: {
                $0.contains("Time")
            })
        {
            report.crashTime = WheatyParser.parseDate(date)
        }
        if report.crashTime == nil, let time = OwnReportHeader.time(lines) { report.crashTime = time }
        report.problems += OwnReportHeader.notes(lines)
        if report.exceptionCode == nil, let signal = lines.prefix(200).lazy.compactMap(GdbParser.signalName).first {
            report.exceptionCode = signal
        }
        report.assertion = AssertionParser.parse(lines)
        markFreeze(&report, lines: lines)
        if report.assertion != nil, report.threads.isEmpty, format == .unknown {
            report.format = .assertion
        }
        if report.format == .assertion {
            report.exceptionCode = report.exceptionCode ?? "ASSERT"
            report.crashingThreadReason = "the report holds only the assertion message, no stack"
        }
        if report.assertion != nil, report.exceptionCode == "C0000420" || report.exceptionCode == nil {
            report.exceptionName = report.exceptionName ?? "assertion failure"
        }
        if report.format == .unknown {
            report.problems.append("not a recognised crash report (no Wheaty, gdb, CDB or ASSERT text found)")
            report.crashingThreadReason = "unknown format"
        } else if report.threads.isEmpty, report.format != .assertion {
            report.problems.append("no stack frames could be read")
        }
        if report.exceptionCode == nil, report.format != .unknown {
            report.problems.append("no exception code or signal found")
        }
        if report.threads.isEmpty, report.assertion == nil, report.problems.isEmpty {
            report.problems.append("an assertion marker was found but not its location, function or condition")
        }
        return report
    }

    /// A FreezeDetector kill is deliberate: when the report holds the hung world thread, that is the crashing thread.
    static func markFreeze(_ report: inout CrashReport, lines: [Substring]) {
        func isDetector(_ frame: StackFrame) -> Bool { (frame.function ?? "").contains("FreezeDetector") }
        let detectorThread = report.crashingThread ?? report.threads.first
        let saysHang = lines.prefix(400).contains { line in
            line.contains("World Thread hangs") || line.contains("World Thread is stuck")
        }
        guard
            detectorThread?.frames.prefix(12).contains(where: isDetector) == true
                || (saysHang && report.crashingThread == nil) || OwnReportHeader.isFreeze(lines)
        else { return }
        report.isFreeze = true
        let worldMarkers = [
            "WorldUpdateLoop", "World::Update", "WorldRunnable", "Map::Update", "MapUpdater", "World::UpdateSessions",
        ]
        if let world = report.threads.firstIndex(where: { thread in
            !thread.frames.contains(where: isDetector)
                && thread.frames.contains { frame in worldMarkers.contains { (frame.function ?? "").contains($0) } }
        }) {
            report.crashingThreadIndex = world
            report.crashingThreadReason =
                "the freeze detector killed the server; the world thread (stack \(world + 1)) is the one that hung"
        } else {
            report.crashingThreadReason +=
                "; a freeze detector kill, and the hung world thread's stack is not in the report"
        }
    }

    /// Detects the format from the content (never the file name).
    static func detect(_ lines: [Substring]) -> CrashReportFormat {
        var gdbFrames = 0
        var wheatyFrames = 0
        var glibcFrames = 0
        var boostFrames = 0
        var hasAssertion = false
        for line in lines.prefix(20_000) {
            if line.hasPrefix("STACK_TEXT:") || line.hasPrefix("FAILURE_BUCKET_ID:") || line.contains("!analyze -v") {
                return .cdb
            }
            let trimmed = ReportText.trimmed(line)
            if trimmed.hasPrefix("Exception code:") || trimmed.hasPrefix("Call stack:") { return .wheaty }
            if GdbParser.isFrameStart(trimmed) { gdbFrames += 1 }
            if WheatyParser.parseFrame(trimmed, index: 0) != nil { wheatyFrames += 1 }
            if BacktraceLineParser.boostFrame(trimmed) != nil { boostFrames += 1 }
            if let frame = BacktraceLineParser.glibcFrame(trimmed, index: 0), frame.module != nil { glibcFrames += 1 }
            if trimmed.contains("ASSERTION FAILED") || trimmed.hasSuffix(" ABORTED.") || trimmed.hasSuffix(" ABORTED:")
                || trimmed.hasPrefix(">> ABORTED") || trimmed.hasSuffix("FATAL ERROR:")
                || AssertionParser.isBoxKey(trimmed, "Location") || trimmed.contains("Assertion in ")
                || trimmed.contains(": Assertion `")
            {
                hasAssertion = true
            }
        }
        let best = max(gdbFrames, wheatyFrames, glibcFrames, boostFrames)
        if best > 0 {
            if wheatyFrames == best { return .wheaty }
            if gdbFrames == best { return .gdb }
            if boostFrames == best { return .boostStacktrace }
            return .glibcBacktrace
        }
        if hasAssertion { return .assertion }
        return .unknown
    }

    /// NUL bytes or many control characters in the first 64 KiB mean binary data.
    static func looksBinary(_ text: Substring) -> Bool {
        var controls = 0
        var total = 0
        for scalar in text.unicodeScalars.prefix(65_536) {
            total += 1
            if scalar.value == 0 { return true }
            if scalar.value < 0x20, scalar != "\n", scalar != "\r", scalar != "\t" { controls += 1 }
            if scalar == "\u{FFFD}" { controls += 1 }
        }
        return total > 0 && controls * 10 > total
    }
}
