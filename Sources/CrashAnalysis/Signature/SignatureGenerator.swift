/// Builds a crash signature the way Socorro does: normalise the crashing thread's frames, start at a sentinel if
/// there is one, skip irrelevant frames, keep prefix frames and walk on, and stop at the first frame that is neither.
///
/// Line numbers are left out (they drift with every merge) except for functions on the keep-line-number list.
public struct SignatureGenerator: Sendable {
    /// Bumped whenever a change would give an existing crash a different signature.
    public static let algorithmVersion = 1
    public static let maxLength = 255
    /// Socorro looks at no more than this many frames.
    static let maxFramesConsidered = 40

    public let rules: SignatureRules

    public init(rules: SignatureRules) {
        self.rules = rules
    }

    public func signature(for report: CrashReport) -> CrashSignature {
        let kind = Self.faultKind(of: report)
        var note: String?
        var thread = report.crashingThread
        if thread == nil, !report.threads.isEmpty {
            // Not silent: the note says the frames are a guess.
            let guess = report.threads.firstIndex { !ReportText.isIdle($0) && !$0.frames.isEmpty } ?? 0
            thread = report.threads[guess]
            note = "crashing thread unknown (\(report.crashingThreadReason)); signature from stack \(guess + 1), the first that is not idle"
        }
        let frames = thread?.frames ?? []
        let normalized = frames.map(FrameNormalizer.normalize)
        var parts: [String] = []
        if frames.isEmpty {
            if let assertion = report.assertion, let function = assertion.function {
                let file = assertion.file.map { " (\($0.split(separator: "/").last ?? Substring($0)))" } ?? ""
                parts = [FrameNormalizer.normalize(function: function) + file]
                note = note ?? "no stack: signature from the assertion's function"
            } else {
                note = note ?? "no stack frames: signature is the fault kind only"
            }
        } else {
            parts = walk(frames: frames, normalized: normalized)
        }
        var signature = ([kind] + parts).joined(separator: " | ")
        if signature.count > Self.maxLength {
            signature = String(signature.prefix(Self.maxLength - 3)) + "..."
        }
        let inApp = zip(frames, normalized).filter { isInApp($0.0, name: $0.1) }.map(\.1)
        return CrashSignature(
            signature: signature, groupID: Self.stableHash(signature), algorithmVersion: Self.algorithmVersion,
            faultKind: kind, similarityFrames: Array(inApp.prefix(5)), normalizedFrames: normalized, note: note)
    }

    private func walk(frames: [StackFrame], normalized: [String]) -> [String] {
        let considered = min(frames.count, Self.maxFramesConsidered)
        var start = 0
        // Frames above `<signal handler called>` or `KiUserExceptionDispatcher` are the crash handler itself.
        if let handler = frames.prefix(considered).lastIndex(where: {
            $0.isSignalHandler || ($0.function ?? "").hasPrefix("KiUserExceptionDispatcher")
        }) {
            start = handler + 1
        }
        if let sentinel = (start..<considered).first(where: {
            rules.matches(.sentinel, name: normalized[$0], module: frames[$0].module)
        }) {
            start = sentinel
        }
        var parts: [String] = []
        var index = start
        while index < considered {
            let frame = frames[index], name = normalized[index]
            index += 1
            if rules.matches(.irrelevant, name: name, module: frame.module) { continue }
            var part = name
            if let line = frame.line, rules.matches(.keepLineNumber, name: name, module: frame.module) {
                part += ":\(line)"
            }
            parts.append(part)
            if !rules.matches(.prefix, name: name, module: frame.module) { break }
        }
        if parts.isEmpty, let first = normalized.first { parts = [first] }
        return parts
    }

    func isInApp(_ frame: StackFrame, name: String) -> Bool {
        if frame.isSignalHandler || name.hasPrefix("@") || name.contains("@0") { return false }
        return !rules.matches(.irrelevant, name: name, module: frame.module)
            && !rules.matches(.prefix, name: name, module: frame.module)
    }

    /// The kind of fault that leads the signature, the same on every platform where that makes sense.
    public static func faultKind(of report: CrashReport) -> String {
        if let assertion = report.assertion {
            switch assertion.kind {
            case "ASSERTION FAILED": return "ASSERTION"
            case "ABORTED": return "ABORT"
            case "FATAL ERROR": return "FATAL"
            default: return "ERROR"
            }
        }
        guard let code = report.exceptionCode?.uppercased(), !code.isEmpty else { return "UNKNOWN" }
        switch code {
        case "C0000005": return "ACCESS_VIOLATION"
        case "C00000FD": return "STACK_OVERFLOW"
        case "C0000420": return "ASSERTION"
        case "C0000094": return "INT_DIVIDE_BY_ZERO"
        case "C000001D": return "ILLEGAL_INSTRUCTION"
        case "C0000409": return "STACK_BUFFER_OVERRUN"
        case "C0000374": return "HEAP_CORRUPTION"
        case "E06D7363": return "CPP_EXCEPTION"
        case "80000003": return "BREAKPOINT"
        default: return code
        }
    }

    /// FNV-1a, 64 bits, as 16 hex digits: stable across runs and platforms (unlike `Hasher`).
    public static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
