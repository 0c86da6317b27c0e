import Foundation

/// Builds a crash signature the way Socorro does: normalise the crashing thread's frames, start at a sentinel if
/// there is one, skip irrelevant frames, keep prefix frames and walk on, and stop at the first frame that is neither.
///
/// Line numbers are left out (they drift with every merge) except for functions on the keep-line-number list.
public struct SignatureGenerator: Sendable {
    /// Bumped whenever a change would give an existing crash a different signature.
    public static let algorithmVersion = 2
    public static let maxLength = 255
    /// Socorro looks at no more than this many frames.
    static let maxFramesConsidered = 40

    public let rules: SignatureRules

    public init(rules: SignatureRules) {
        self.rules = rules
    }

    /// - Parameter qualify: names the class of a method an assertion names alone (`RemoveOwnedAura` in `Unit.cpp` →
    ///   `Unit::RemoveOwnedAura`), from the source tree when one is configured; used only when no frame of the
    ///   report qualifies it.
    public func signature(
        for report: CrashReport, qualify: (@Sendable (_ method: String, _ file: String?) -> String?)? = nil
    )
        -> CrashSignature
    {
        let kind = Self.faultKind(of: report)
        var note: String?
        var thread = report.crashingThread
        if thread == nil, !report.threads.isEmpty {
            // Not silent: the note says the frames are a guess.
            let guess = report.threads.firstIndex { !ReportText.isIdle($0) && !$0.frames.isEmpty } ?? 0
            thread = report.threads[guess]
            note =
                "crashing thread unknown (\(report.crashingThreadReason)); signature from stack \(guess + 1), the first that is not idle"
        }
        let frames = thread?.frames ?? []
        let normalized = frames.map(FrameNormalizer.normalize)
        var parts = frames.isEmpty ? [] : walk(frames: frames, normalized: normalized)
        if parts.isEmpty {
            let stackless = stacklessParts(report, allFrames: report.threads.flatMap(\.frames), qualify: qualify)
            parts = stackless.parts
            note =
                note
                ?? (frames.isEmpty ? stackless.note : "no frame of the stack is the server's own: " + stackless.note)
        }
        var signature = ([kind] + parts).joined(separator: " | ")
        if signature.count > Self.maxLength {
            signature = String(signature.prefix(Self.maxLength - 3)) + "..."
        }
        let inApp = zip(frames, normalized).filter { isInApp($0.0, name: $0.1) }.map(\.1)
        return CrashSignature(
            signature: signature, groupKey: Self.stableHash(signature), algorithmVersion: Self.algorithmVersion,
            faultKind: kind, similarityFrames: Array(inApp.prefix(5)), normalizedFrames: normalized, note: note)
    }

    /// What identifies a crash whose stack says nothing: the assertion (function, file, condition), the fault's
    /// module and section offset, or, when nothing does, a fingerprint of the text, so that it stays alone rather than
    /// merging with strangers.
    func stacklessParts(
        _ report: CrashReport, allFrames: [StackFrame], qualify: (@Sendable (String, String?) -> String?)?
    ) -> (parts: [String], note: String) {
        if let assertion = report.assertion, assertion.function != nil || assertion.file != nil {
            var parts: [String] = []
            let file = assertion.file.map { String($0.split(separator: "/").last ?? Substring($0)) }
            if let function = assertion.function {
                var name = FrameNormalizer.normalize(function: function)
                if !name.contains("::") {
                    let method = name
                    if let frame = allFrames.lazy.map(FrameNormalizer.normalize).first(where: {
                        $0.hasSuffix("::" + method)
                    }) {
                        name = frame
                    } else if let qualified = qualify?(method, assertion.file) {
                        name = qualified
                    }
                }
                parts.append(name + (file.map { " (\($0))" } ?? ""))
            } else if let file {
                parts.append(file)
            }
            if let condition = assertion.condition.map(Self.maskedCondition), !condition.isEmpty {
                parts.append(condition)
            }
            return (parts, "no stack: signature from the assertion's function, file and condition")
        }
        if let module = report.faultModule, let offset = report.faultSectionOffset {
            let name = String(module.split(whereSeparator: { $0 == "\\" || $0 == "/" }).last ?? Substring(module))
            return (["\(name)@\(offset)"], "no usable frame: signature from the fault's module and section offset")
        }
        if report.rawText.isEmpty { return (["empty report"], "the report is empty") }
        return (
            ["text#" + Self.textFingerprint(report.text)],
            "nothing in the report identifies the crash: signature is a fingerprint of its text"
        )
    }

    /// The condition with numbers masked and spaces removed, so a retyped copy reads the same.
    static func maskedCondition(_ condition: String) -> String {
        var out = ""
        var previous: Character = " "
        var inNumber = false
        for character in condition where !character.isWhitespace {
            if character.isNumber, !(previous.isLetter || previous == "_") || inNumber {
                if !inNumber { out.append("N") }
                inNumber = true
            } else if inNumber, character.isHexDigit || character == "x" || character == "u" || character == "U" {
                continue
            } else {
                inNumber = false
                out.append(character)
            }
            previous = character
        }
        return String(out.prefix(80))
    }

    /// 16 hex digits over the text with whitespace collapsed and hex addresses masked (ASLR changes them).
    static func textFingerprint(_ text: String) -> String {
        var normalized = ""
        normalized.reserveCapacity(min(text.utf8.count, 65_536))
        var lastWasSpace = false
        var skippingHex = false
        var previous: Character = " "
        for character in text.prefix(65_536) {
            if skippingHex {
                if character.isHexDigit { continue }
                skippingHex = false
            }
            if character == "x", previous == "0" {
                normalized.append("x")
                skippingHex = true
                previous = character
                continue
            }
            if character.isWhitespace {
                if !lastWasSpace { normalized.append(" ") }
                lastWasSpace = true
            } else {
                normalized.append(character)
                lastWasSpace = false
            }
            previous = character
        }
        return stableHash(normalized.trimmingCharacters(in: .whitespaces))
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
        // So is everything above the last frame of the abort machinery near the top.
        if let machinery = (start..<min(considered, start + 24)).last(where: {
            rules.matches(.abortMachinery, name: normalized[$0], module: frames[$0].module)
        }) {
            start = machinery + 1
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
            if rules.matches(.irrelevant, name: name, module: frame.module) || Self.isUnusable(frame, name: name) {
                continue
            }
            var part = name
            if let line = frame.line, rules.matches(.keepLineNumber, name: name, module: frame.module) {
                part += ":\(line)"
            }
            parts.append(part)
            if !rules.matches(.prefix, name: name, module: frame.module) { break }
        }
        return parts
    }

    /// A frame that cannot sign a crash: no symbol and no module (an absolute address changes with ASLR on every run),
    /// or a nearest-export guess in a foreign DLL (`RC4_options+1567E1` in libcrypto: a large displacement, no source).
    static func isUnusable(_ frame: StackFrame, name: String) -> Bool {
        if name.hasPrefix("@") { return true }
        if frame.function != nil, frame.file == nil, let module = frame.module?.lowercased(), module.hasSuffix(".dll"),
            let offset = frame.offset,
            let value = UInt64(offset.hasPrefix("0x") ? String(offset.dropFirst(2)) : offset, radix: 16),
            value >= 0x1000
        {
            return true
        }
        return false
    }

    func isInApp(_ frame: StackFrame, name: String) -> Bool {
        if frame.isSignalHandler || name.hasPrefix("@") || name.contains("@0") { return false }
        return !rules.matches(.irrelevant, name: name, module: frame.module)
            && !rules.matches(.prefix, name: name, module: frame.module)
    }

    /// The kind of fault that leads the signature, the same on every platform where that makes sense.
    public static func faultKind(of report: CrashReport) -> String {
        if report.isFreeze { return "FREEZE" }
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
