import Foundation

/// A unified diff for lines inserted into one file, as `git apply` reads it.
public enum UnifiedDiff {
    /// `inserted` goes after 0-based line `after` of `lines`; three lines of context on each side.
    public static func insertion(file: String, lines: [String], after: Int, inserted: [String], context: Int = 3)
        -> String
    {
        let start = max(0, after - context + 1)
        let end = min(lines.count, after + 1 + context)
        let before = Array(lines[start...after])
        let following = after + 1 < end ? Array(lines[(after + 1)..<end]) : []
        let oldCount = before.count + following.count
        let newCount = oldCount + inserted.count
        var out = "--- a/\(file)\n+++ b/\(file)\n"
        out += "@@ -\(start + 1),\(oldCount) +\(start + 1),\(newCount) @@\n"
        for line in before { out += " \(line)\n" }
        for line in inserted { out += "+\(line)\n" }
        for line in following { out += " \(line)\n" }
        return out
    }

    /// Several insertions into one file (each after its 0-based line), as one file's diff: hunks whose context would
    /// overlap are merged.
    public static func insertions(
        file: String, lines: [String], _ insertions: [(after: Int, inserted: [String])], context: Int = 3
    ) -> String {
        let sorted = insertions.sorted { $0.after < $1.after }
        // Group insertions whose hunks touch: a hunk spans its context on both sides.
        var groups: [[(after: Int, inserted: [String])]] = []
        for insertion in sorted {
            if let last = groups.last?.last, insertion.after - last.after <= 2 * context {
                groups[groups.count - 1].append(insertion)
            } else {
                groups.append([insertion])
            }
        }
        var out = "--- a/\(file)\n+++ b/\(file)\n"
        var added = 0
        for group in groups {
            let start = max(0, group[0].after - context + 1)
            let end = min(lines.count, group[group.count - 1].after + 1 + context)
            var body: [String] = []
            var inserted = 0
            for index in start..<end {
                body.append(" \(lines[index])")
                for insertion in group where insertion.after == index {
                    body += insertion.inserted.map { "+\($0)" }
                    inserted += insertion.inserted.count
                }
            }
            let oldCount = end - start
            out += "@@ -\(start + 1),\(oldCount) +\(start + 1 + added),\(oldCount + inserted) @@\n"
            out += body.map { $0 + "\n" }.joined()
            added += inserted
        }
        return out
    }

    /// `lines[start..<(start + removeCount)]` replaced by `inserted`; three lines of context on each side.
    public static func change(
        file: String, lines: [String], start: Int, removeCount: Int, inserted: [String], context: Int = 3
    ) -> String {
        let first = max(0, start - context)
        let end = min(lines.count, start + removeCount + context)
        let before = Array(lines[first..<start])
        let removed = Array(lines[start..<(start + removeCount)])
        let after = Array(lines[(start + removeCount)..<end])
        var out = "--- a/\(file)\n+++ b/\(file)\n"
        out +=
            "@@ -\(first + 1),\(before.count + removed.count + after.count) +\(first + 1),\(before.count + inserted.count + after.count) @@\n"
        for line in before { out += " \(line)\n" }
        for line in removed { out += "-\(line)\n" }
        for line in inserted { out += "+\(line)\n" }
        for line in after { out += " \(line)\n" }
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
