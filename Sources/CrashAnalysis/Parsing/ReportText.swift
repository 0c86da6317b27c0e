import Foundation

/// Small text helpers shared by the report parsers.
enum ReportText {
    /// Lines without their `\r\n` / `\n` ends.
    static func lines(_ text: Substring) -> [Substring] {
        // "\r\n" is one Character in Swift, so split on both forms (Wheaty reports are written with CRLF).
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
    }

    /// Lines as a parser wants them: pasted-in prefixes gone (a log timestamp before each line, gdb's `(gdb) `
    /// prompt and pager text, a markdown `# ` before a Wheaty frame), and the blank line that some forums put after
    /// every line removed.
    static func cleanLines(_ text: Substring) -> [Substring] {
        var lines = self.lines(text).map(strippingPastePrefixes)
        let nonBlank = lines.indices.filter { !trimmed(lines[$0]).isEmpty }
        let followedByBlank = nonBlank.filter { $0 + 1 < lines.count && trimmed(lines[$0 + 1]).isEmpty }
        if nonBlank.count >= 6, followedByBlank.count * 10 >= nonBlank.count * 9 {
            // Double-spaced paste: a single blank line is the paste's, two in a row were one in the original.
            var kept: [Substring] = []
            var index = 0
            while index < lines.count {
                let line = lines[index]
                if trimmed(line).isEmpty, index + 1 < lines.count, !trimmed(lines[index + 1]).isEmpty,
                    index > 0, !trimmed(lines[index - 1]).isEmpty
                {
                    index += 1
                    continue
                }
                kept.append(line)
                index += 1
            }
            lines = kept
        }
        return lines
    }

    static let pagerPrompts = [
        "--Type <RET> for more, q to quit, c to continue without paging--",
        "---Type <return> to continue, or q <return> to quit---",
    ]

    static func strippingPastePrefixes(_ line: Substring) -> Substring {
        var line = line
        var changed = true
        while changed {
            changed = false
            let trimmedLine = trimmed(line)
            if let rest = after("(gdb) ", in: trimmedLine) {
                line = rest
                changed = true
            } else if let pager = pagerPrompts.first(where: { trimmedLine.hasPrefix($0) }) {
                line = trimmedLine.dropFirst(pager.count)
                changed = true
            } else if let rest = afterLogTimestamp(line) {
                line = rest
                changed = true
            } else if line.hasPrefix("# "), let next = line.dropFirst(2).first, next.isHexDigit,
                WheatyParser.parseFrame(line.dropFirst(2), index: 0) != nil
            {
                line = line.dropFirst(2)
                changed = true
            }
        }
        return line
    }

    /// The rest of a line that starts with a log timestamp, `2023-12-19 20:28:09 ` or `2023-12-19_20:28:09 `.
    static func afterLogTimestamp(_ line: Substring) -> Substring? {
        let utf8 = Array(line.utf8.prefix(20))
        guard utf8.count == 20 else { return nil }
        func digit(_ i: Int) -> Bool { utf8[i] >= 0x30 && utf8[i] <= 0x39 }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        guard digits.allSatisfy(digit), utf8[4] == 0x2D, utf8[7] == 0x2D, utf8[10] == 0x20 || utf8[10] == 0x5F,
            utf8[13] == 0x3A, utf8[16] == 0x3A, utf8[19] == 0x20
        else { return nil }
        return line.dropFirst(20)
    }

    /// The report inside what pasting it wrapped it in: HTML entities (a copy from a web page, `&lt;` for `<`), reply
    /// quotes (`> ` before every line, nested too), Markdown code fences, and an indentation of the whole report.
    ///
    /// Nil when there is none of these.
    static func unwrapped(_ text: Substring) -> String? {
        var text = String(text)
        var changed = false
        if text.contains("&lt;") || text.contains("&gt;") || text.contains("&amp;") || text.contains("&quot;")
            || text.contains("&#39;")
        {
            for (entity, character) in [
                ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&nbsp;", " "),
                ("&amp;", "&"),
            ] {
                text = text.replacingOccurrences(of: entity, with: character)
            }
            changed = true
        }
        // A copy from a rendered page or chat: no-break and zero-width spaces for the report's own.
        if text.utf8.contains(0xC2) || text.utf8.contains(0xE2) {
            let spaces: [Character] = ["\u{00A0}", "\u{2007}", "\u{202F}"]
            if text.contains(where: { spaces.contains($0) || $0 == "\u{200B}" }) {
                text = String(text.compactMap { $0 == "\u{200B}" ? nil : spaces.contains($0) ? " " : $0 })
                changed = true
            }
        }
        if mayBeWrapped(text), let lines = unwrappedLines(text) {
            text = lines
            changed = true
        }
        // Last, once quotes and indentation are gone: the console's width is that of the report's own lines.
        if let joined = consoleUnwrapped(text) {
            text = joined
            changed = true
        }
        return changed ? text : nil
    }

    /// `text` without reply quotes, fences and a whole-report indentation, or nil when it has none.
    private static func unwrappedLines(_ text: String) -> String? {
        var changed = false
        var lines = self.lines(Substring(text))
        let nonBlank = lines.filter { !trimmed($0).isEmpty }
        let quoted = nonBlank.filter { quoteDepth($0).count > 0 }
        if !quoted.isEmpty,
            quoted.count == nonBlank.count || (quoted.count >= 2 && quoted.count * 10 >= nonBlank.count * 6)
        {
            lines = lines.map { line in line.dropFirst(quoteDepth(line).count) }
            changed = true
        }
        if lines.contains(where: isFence) {
            lines.removeAll(where: isFence)
            changed = true
        }
        // Indented as a whole (a Markdown code block, a quote's indentation): TrinityCore's own indentation inside
        // the report (an assertion's condition line) is kept.
        let indents = lines.filter { !trimmed($0).isEmpty }.map { line in
            line.prefix(while: { $0 == " " || $0 == "\t" }).count
        }
        if let common = indents.min(), common > 0 {
            lines = lines.map { $0.dropFirst(min(common, $0.prefix(while: { $0 == " " || $0 == "\t" }).count)) }
            changed = true
        }
        return changed ? lines.joined(separator: "\n") : nil
    }

    /// Console widths a copy from a terminal window is cut at (Windows' console inserts a line break there).
    static let consoleWidths = [80, 100, 120, 132, 160, 200]

    /// `text` with the line breaks a console copy put at its width taken out, or nil when it is not such a copy:
    /// the longest lines are exactly one console width long, and each is joined with the line after it unless that
    /// one starts a record of its own (a frame, a thread, a section).
    static func consoleUnwrapped(_ text: String) -> String? {
        let lines = self.lines(Substring(text))
        guard lines.count >= 2, let longest = lines.map(\.count).max(), consoleWidths.contains(longest) else {
            return nil
        }
        // Not a cut: a line ending its sentence with `:` (`… ASSERTION FAILED:`, not a drive's `C:`), or an indented
        // line after it (the condition TrinityCore indents by two spaces).
        func endsSentence(_ line: Substring) -> Bool {
            guard line.last == ":" else { return false }
            let word = line.dropLast().reversed().prefix(while: { !$0.isWhitespace })
            return word.count >= 2
        }
        func continues(_ index: Int) -> Bool {
            guard lines[index].count == longest, !endsSentence(lines[index]), index + 1 < lines.count else {
                return false
            }
            let next = lines[index + 1]
            return !trimmed(next).isEmpty && !next.hasPrefix("  ") && !next.hasPrefix("\t") && !startsRecord(next)
        }
        guard lines.indices.contains(where: continues) else { return nil }
        var out: [String] = []
        var current = ""
        for index in lines.indices {
            current += lines[index]
            if continues(index) { continue }
            out.append(current)
            current = ""
        }
        return out.joined(separator: "\n")
    }

    /// A line that begins something of its own in a report, so a console cut cannot have made it.
    private static func startsRecord(_ line: Substring) -> Bool {
        let text = trimmed(line)
        if text.first == "#", text.dropFirst().first?.isNumber == true { return true }
        let hexRun = text.prefix(while: \.isHexDigit).count
        if hexRun >= 8, text.dropFirst(hexRun).first == " " { return true }
        return [
            "0x", "Thread ", "Call stack:", "Registers:", "Program ", "Exception", "Fault address", "Module", "***",
            "//====", "(gdb)", "Stack trace", "[New ", "Backtrace",
        ].contains { text.hasPrefix($0) }
    }

    /// Whether a line of `text` starts with a quote marker or a fence, or its first line is indented: what the
    /// line-by-line unwrapping needs to look at (most reports have none, and are not split for it).
    private static func mayBeWrapped(_ text: String) -> Bool {
        var atLineStart = true
        var spaces = 0
        var seenText = false
        for byte in text.utf8 {
            if byte == 0x0A {
                atLineStart = true
                spaces = 0
                continue
            }
            if atLineStart {
                if byte == 0x20 || byte == 0x09 {
                    // An indented first line: the whole report may be indented.
                    if !seenText { return true }
                    spaces += 1
                    if spaces > 3 { atLineStart = false }
                    continue
                }
                if byte == 0x3E || byte == 0x60 || byte == 0x7E { return true }  // > ` ~
                if byte != 0x0D { seenText = true }
                atLineStart = false
            }
        }
        return false
    }

    /// The quote markers a line starts with: up to three spaces, then `>` and one optional space, repeated.
    private static func quoteDepth(_ line: Substring) -> Substring {
        var rest = line
        var spaces = 0
        while rest.first == " ", spaces < 3 {
            rest = rest.dropFirst()
            spaces += 1
        }
        guard rest.first == ">" else { return line.prefix(0) }
        while rest.first == ">" {
            rest = rest.dropFirst()
            if rest.first == " " { rest = rest.dropFirst() }
            while rest.first == " " && rest.dropFirst().first == ">" { rest = rest.dropFirst() }
        }
        return line.prefix(line.count - rest.count)
    }

    /// A Markdown code fence: ```` ``` ```` or `~~~`, with an optional language word.
    private static func isFence(_ line: Substring) -> Bool {
        let text = trimmed(line)
        guard text.hasPrefix("```") || text.hasPrefix("~~~") else { return false }
        let language = text.drop(while: { $0 == "`" || $0 == "~" })
        return language.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "+" || $0 == "_" }
    }

    static func trimmed(_ s: Substring) -> Substring {
        var s = s
        while let first = s.first, first == " " || first == "\t" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return s
    }

    static func isHex(_ s: Substring) -> Bool {
        !s.isEmpty && s.allSatisfy { $0.isHexDigit }
    }

    /// The text after `prefix` when `line` starts with it.
    static func after(_ prefix: String, in line: Substring) -> Substring? {
        line.hasPrefix(prefix) ? line.dropFirst(prefix.count) : nil
    }

    /// Signal names by number, for `Program terminated with signal 11, Segmentation fault.`.
    static let signalNames: [Int: String] = [
        4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE",
        15: "SIGTERM", 18: "SIGCONT", 19: "SIGSTOP", 24: "SIGXCPU",
    ]

    /// Functions of threads that are waiting, not working: a stack topped by one of these did not crash.
    static let idleFunctions = [
        "NtWaitForSingleObject", "NtWaitForMultipleObjects", "NtRemoveIoCompletion", "ZwWaitForSingleObject",
        "_Cnd_wait", "SleepEx", "ReadConsole", "GetQueuedCompletionStatus", "NtDelayExecution", "futex_wait",
        "pthread_cond_wait", "pthread_cond_timedwait", "epoll_wait", "nanosleep", "__libc_read", "__GI___poll",
        "syscall", "__futex_abstimed_wait_common",
    ]

    static func isIdle(_ thread: CrashThread) -> Bool {
        guard let top = thread.frames.first?.function else { return false }
        return idleFunctions.contains { top.hasPrefix($0) || top.contains($0) }
    }
}
