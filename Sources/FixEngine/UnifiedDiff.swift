import Foundation

/// A unified diff for lines inserted into, or replaced in, one file, as `git apply` reads it.
public enum UnifiedDiff {
    /// One change to a file: `lines[start..<(start + removeCount)]` replaced by `inserted` (an insertion when
    /// nothing is removed).
    public struct Edit: Sendable, Equatable {
        public var start: Int
        public var removeCount: Int
        public var inserted: [String]

        public init(start: Int, removeCount: Int = 0, inserted: [String]) {
            self.start = start
            self.removeCount = removeCount
            self.inserted = inserted
        }

        /// `inserted` after 0-based line `after`.
        public static func insertion(after: Int, _ inserted: [String]) -> Edit {
            Edit(start: after + 1, inserted: inserted)
        }
    }

    /// `inserted` goes after 0-based line `after` of `lines`; three lines of context on each side.
    public static func insertion(file: String, lines: [String], after: Int, inserted: [String], context: Int = 3)
        -> String
    {
        changes(file: file, lines: lines, [.insertion(after: after, inserted)], context: context)
    }

    /// Several insertions into one file (each after its 0-based line), as one file's diff.
    public static func insertions(
        file: String, lines: [String], _ insertions: [(after: Int, inserted: [String])], context: Int = 3
    ) -> String {
        changes(file: file, lines: lines, insertions.map { .insertion(after: $0.after, $0.inserted) }, context: context)
    }

    /// `lines[start..<(start + removeCount)]` replaced by `inserted`; three lines of context on each side.
    public static func change(
        file: String, lines: [String], start: Int, removeCount: Int, inserted: [String], context: Int = 3
    ) -> String {
        changes(
            file: file, lines: lines, [Edit(start: start, removeCount: removeCount, inserted: inserted)],
            context: context)
    }

    /// Several non-overlapping edits of one file as one file's diff: hunks whose context would overlap are merged.
    public static func changes(file: String, lines: [String], _ edits: [Edit], context: Int = 3) -> String {
        let sorted = edits.sorted { $0.start < $1.start }
        // Group edits whose hunks touch: a hunk spans its context on both sides.
        var groups: [[Edit]] = []
        for edit in sorted {
            if let last = groups.last?.last, edit.start - context <= last.start + last.removeCount + context {
                groups[groups.count - 1].append(edit)
            } else {
                groups.append([edit])
            }
        }
        var out = "--- a/\(file)\n+++ b/\(file)\n"
        var delta = 0
        for group in groups {
            let first = max(0, group[0].start - context)
            let last = group[group.count - 1]
            let end = min(lines.count, last.start + last.removeCount + context)
            var body: [String] = []
            var index = first
            var change = 0
            for edit in group {
                while index < edit.start {
                    body.append(" \(lines[index])")
                    index += 1
                }
                body += lines[edit.start..<(edit.start + edit.removeCount)].map { "-\($0)" }
                body += edit.inserted.map { "+\($0)" }
                index = edit.start + edit.removeCount
                change += edit.inserted.count - edit.removeCount
            }
            while index < end {
                body.append(" \(lines[index])")
                index += 1
            }
            let oldCount = end - first
            out += "@@ -\(first + 1),\(oldCount) +\(first + 1 + delta),\(oldCount + change) @@\n"
            out += body.map { $0 + "\n" }.joined()
            delta += change
        }
        return out
    }

    /// The files a diff touches (its `+++ b/…` lines), and whether every path stays inside the tree.
    public static func touchedFiles(_ diff: String) -> [String] {
        var files: [String] = []
        for line in diff.split(separator: "\n") where line.hasPrefix("+++ ") || line.hasPrefix("--- ") {
            var path = String(line.dropFirst(4))
            if path == "/dev/null" { continue }
            if path.hasPrefix("a/") || path.hasPrefix("b/") { path.removeFirst(2) }
            let clean = String(path.split(separator: "\t").first ?? Substring(path))
            if !files.contains(clean) { files.append(clean) }
        }
        return files
    }

    /// Why a diff may not be applied to the source tree, or nil when every path stays inside it.
    public static func unsafePath(in diff: String) -> String? {
        for line in diff.split(separator: "\n")
        where line.hasPrefix("+++ ") || line.hasPrefix("--- ") || line.hasPrefix("diff --git ") {
            let words = line.split(separator: " ").dropFirst(line.hasPrefix("diff --git ") ? 2 : 1)
            for word in words {
                var path = String(word.split(separator: "\t").first ?? "")
                if path == "/dev/null" { continue }
                if path.hasPrefix("a/") || path.hasPrefix("b/") { path.removeFirst(2) }
                if path.hasPrefix("/") || path.hasPrefix("~") { return "the patch names an absolute path: \(path)" }
                if path.split(separator: "/").contains("..") { return "the patch leaves the source tree: \(path)" }
            }
        }
        return nil
    }

    /// Lines added and removed.
    public static func size(_ diff: String) -> (added: Int, removed: Int) {
        var added = 0, removed = 0
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("+"), !line.hasPrefix("+++") { added += 1 }
            if line.hasPrefix("-"), !line.hasPrefix("---") { removed += 1 }
        }
        return (added, removed)
    }

    /// `diff` with each file's content lines ending as that file's lines do in `root`: CRLF for a file checked out
    /// with Windows line endings, so that `git apply` matches its context and the added lines fit in.
    public static func matchingLineEndings(_ diff: String, root: String) -> String {
        var crlf = false
        var out = ""
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false).dropLast(diff.hasSuffix("\n") ? 1 : 0)
        {
            if line.hasPrefix("+++ b/") {
                let path = "\(root)/\(line.dropFirst(6))"
                crlf = (try? String(contentsOfFile: path, encoding: .utf8))?.contains("\r\n") ?? false
                out += line + "\n"
            } else if line.hasPrefix("--- a/") || line.hasPrefix("@@") || line.hasPrefix("\\ ") {
                out += line + "\n"
            } else {
                out += line + (crlf ? "\r\n" : "\n")
            }
        }
        return out
    }
}
