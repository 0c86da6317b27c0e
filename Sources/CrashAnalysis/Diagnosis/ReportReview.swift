import Foundation

/// What a report says about itself: the clues a maintainer reads first (null arguments, -1 ids, the assertion's
/// condition and debug info, the faulting address), and whether a maintainer can act on it at all, with the remedy
/// for each reason they would reject it (no symbols, a Release build, an unknown or dirty revision, a cut paste,
/// no thread marked as crashing, a stop that is not a crash).
enum ReportReview {
    static func clues(_ report: CrashReport, signature: CrashSignature) -> [Diagnosis.Claim] {
        var clues: [Diagnosis.Claim] = []
        if let assertion = report.assertion {
            let place = [
                assertion.function,
                assertion.file.map { file in
                    file.split(separator: "/").last.map(String.init).map {
                        $0 + (assertion.line.map { ":\($0)" } ?? "")
                    } ?? file
                },
            ].compactMap { $0 }.joined(separator: " in ")
            if let condition = assertion.condition {
                clues.append(
                    .init(
                        text: "the assertion `\(condition)` failed\(place.isEmpty ? "" : " (\(place))")",
                        evidence: [assertion.kind]))
            }
            if let debug = assertion.debugInfo ?? assertion.message {
                clues.append(
                    .init(
                        text: "the assertion's debug info: \(debug.split(separator: "\n").joined(separator: " · "))",
                        evidence: ["Debug info / message lines"]))
            }
        }
        let frames = report.crashingThread?.frames ?? []
        for (index, frame) in frames.prefix(12).enumerated() {
            guard let arguments = frame.arguments else { continue }
            let name = FrameNormalizer.normalize(frame)
            for (argument, value) in argumentPairs(arguments) {
                if value == "0x0" {
                    let what = argument == "this" ? "the object (`this`)" : "`\(argument)`"
                    clues.append(
                        .init(text: "\(what) is null in frame \(index) \(name)", evidence: ["\(argument)=0x0"]))
                } else if value == "4294967295" || value == "18446744073709551615" {
                    clues.append(
                        .init(
                            text:
                                "`\(argument)` = \(value) in frame \(index) \(name): -1 stored in an unsigned id (a lookup that found nothing?)",
                            evidence: ["\(argument)=\(value)"]))
                } else if value.hasPrefix("0x"), let number = UInt64(value.dropFirst(2), radix: 16), number > 0,
                    number < 0x10000
                {
                    clues.append(
                        .init(
                            text:
                                "`\(argument)` = \(value) in frame \(index) \(name): a small address, a member of a null object",
                            evidence: ["\(argument)=\(value)"]))
                }
            }
            if clues.count >= 8 { break }
        }
        if let address = accessedAddress(report.text) {
            let value = UInt64(address.drop(while: { $0 == "0" || $0 == "x" }), radix: 16) ?? 0
            let meaning =
                value == 0
                ? "a null pointer"
                : value < 0x10000 ? "a member of a null object (small offset)" : "a bad or freed pointer"
            clues.append(
                .init(
                    text: "the faulting access was at \(address): \(meaning)",
                    evidence: ["read/write address in the report"]))
        }
        if let debug = report.text.split(separator: "\n").prefix(2_000).first(where: {
            $0.contains("InstanceId:") || $0.contains("MapID:")
        }),
            report.assertion?.debugInfo == nil
        {
            clues.append(
                .init(
                    text: "the report names the place: \(ReportText.trimmed(debug).prefix(160))",
                    evidence: ["debug info line"]))
        }
        return clues
    }

    /// `this=0x0, caster=0x7f…, id=4294967295` → pairs, top level only.
    static func argumentPairs(_ arguments: String) -> [(String, String)] {
        var pairs: [(String, String)] = []
        var depth = 0
        var current = ""
        func flush() {
            let part = current.trimmingCharacters(in: .whitespaces)
            if let equals = part.firstIndex(of: "=") {
                var name = String(part[..<equals])
                if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
                let value = part[part.index(after: equals)...].split(separator: " ").first.map(String.init) ?? ""
                pairs.append((name, value))
            }
            current = ""
        }
        for character in arguments {
            if character == "(" || character == "<" || character == "{" { depth += 1 }
            if character == ")" || character == ">" || character == "}" { depth = max(0, depth - 1) }
            if character == ",", depth == 0 { flush() } else { current.append(character) }
        }
        flush()
        return pairs
    }

    /// `reading location 0x0000000000000010`, `Attempt to read from address 0000000000000000`.
    static func accessedAddress(_ text: String) -> String? {
        for marker in [
            "reading location ", "writing location ", "read from address ", "write to address ", "si_addr = ",
            "Access violation - code c0000005 (first chance) at ",
        ] {
            guard let range = text.range(of: marker) else { continue }
            let address = text[range.upperBound...].prefix(while: { $0.isHexDigit || $0 == "x" })
            if address.count >= 3 { return String(address) }
        }
        return nil
    }

    static func verdict(_ report: CrashReport, signature: CrashSignature) -> Diagnosis.Verdict {
        var problems: [Diagnosis.Claim] = []
        let code = report.exceptionCode ?? ""
        if ["SIGCONT", "SIGSTOP", "SIGTSTP", "SIGCHLD", "SIGWINCH", "SIGPIPE", "SIGUSR1", "SIGUSR2", "SIGINT"].contains(
            code)
        {
            problems.append(
                .init(
                    text:
                        "gdb stopped on \(code), which is not a crash: the trace shows threads waiting. Let the server run on (`handle \(code) nostop noprint pass` in the gdb script) and capture the real crash.",
                    evidence: ["signal \(code)"]))
        }
        let frames = report.crashingThread?.frames ?? report.threads.first?.frames ?? []
        let unnamed = frames.filter { $0.function == nil && !$0.isSignalHandler }.count
        let isWindows = report.format == .wheaty || report.format == .cdb
        if !frames.isEmpty, unnamed * 2 >= frames.count {
            problems.append(
                .init(
                    text: isWindows
                        ? "The stack has no function names: build RelWithDebInfo and keep worldserver.pdb beside worldserver.exe, then post the new report."
                        : "The stack has no function names: build with debug info (RelWithDebInfo, -g) or install the server's debug symbols, then take the backtrace again.",
                    evidence: ["\(unnamed) of \(frames.count) frames without a symbol"]))
        }
        let revision = report.revision ?? ""
        if revision.contains("Release"), !revision.contains("RelWithDebInfo") {
            problems.append(
                .init(
                    text:
                        "A Release build: inlined and reordered code hides where it crashed. Rebuild with -DCMAKE_BUILD_TYPE=RelWithDebInfo.",
                    evidence: ["revision line: \(revision.prefix(120))"]))
        }
        if report.buildHash == nil {
            problems.append(
                .init(
                    text:
                        "The build is unknown\(revision.isEmpty ? " (no revision line)" : " (`\(revision.prefix(80))`)"): say which commit the server was built from (`git rev-parse HEAD` in the source tree).",
                    evidence: [revision.isEmpty ? "no revision line" : "revision without a commit"]))
        } else if report.buildHash?.hasSuffix("+") == true {
            problems.append(
                .init(
                    text:
                        "The build has local changes (`+` after the revision): maintainers cannot reproduce it; say what was changed, or reproduce on a clean checkout.",
                    evidence: ["revision \(report.buildHash ?? "")"]))
        }
        if report.problems.contains(where: { $0.contains("cut") || $0.contains("could not be read") })
            || report.threads.isEmpty
                && report.format != .assertion
        {
            problems.append(
                .init(
                    text:
                        "The report is incomplete (cut off, or no stack): attach the whole file rather than pasting part of it.",
                    evidence: report.problems.isEmpty ? ["no stack frames"] : report.problems))
        }
        if report.crashingThreadIndex == nil, report.threads.count > 1 {
            problems.append(
                .init(
                    text:
                        "No thread is marked as the crashing one: keep gdb's `Thread N received signal` line (or `bt` before `thread apply all bt`).",
                    evidence: [report.crashingThreadReason]))
        }
        let actionable =
            !problems.contains {
                $0.text.hasPrefix("gdb stopped") || $0.text.hasPrefix("The stack has no function names")
            }
            && !(report.threads.isEmpty && report.assertion == nil)
        return Diagnosis.Verdict(actionable: actionable, problems: problems)
    }
}
