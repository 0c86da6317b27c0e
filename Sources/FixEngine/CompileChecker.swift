import CrashwatchKit
public import Foundation

/// Compiles each candidate patch before it is offered: in a scratch `git worktree` of the user's tree (HEAD plus their
/// uncommitted changes), the patch applied, every touched unit — or a unit including a touched header — run with its
/// own compile command and `-fsyntax-only`, under a time limit.
///
/// The user's tree and build folder are never written.
public struct CompileChecker: Sendable {
    public let sourceRoot: String
    public let database: CompileDatabase
    public var timeout: Duration = .seconds(180)

    public init(sourceRoot: String, database: CompileDatabase) {
        self.sourceRoot = (sourceRoot as NSString).standardizingPath
        self.database = database
    }

    /// `candidates` with their `compileCheck` set (candidates without a patch are left as they are).
    public func check(_ candidates: [FixCandidate]) -> [FixCandidate] {
        guard candidates.contains(where: { $0.diff != nil }) else { return candidates }
        let scratch = TemporaryDirectory("crashwatch-compile")
        let worktree = scratch.file("tree")
        let git = GitPatchApplier(root: sourceRoot)
        do {
            try git.git(["worktree", "add", "--detach", "--quiet", worktree, "HEAD"])
        } catch {
            return candidates.map { marked($0, .notChecked("no scratch worktree: \(error)")) }
        }
        defer {
            _ = try? git.git(["worktree", "remove", "--force", worktree])
            _ = try? git.git(["worktree", "prune"])
            withExtendedLifetime(scratch) {}
        }
        // The user's uncommitted edits too: the candidate was made against the files as they are now.
        let scratchGit = GitPatchApplier(root: worktree)
        if let local = try? git.git(["diff", "HEAD", "--binary"]), !local.isEmpty {
            let patch = scratch.file("local.patch")
            if (try? local.write(toFile: patch, atomically: true, encoding: .utf8)) != nil {
                _ = try? scratchGit.git(["apply", "--whitespace=nowarn", patch])
            }
        }
        // A unit that fails without any patch says nothing about the patch: its own state is cached per unit.
        var baselines: [String: CompileCheck] = [:]
        return candidates.enumerated().map { index, candidate -> FixCandidate in
            guard let diff = candidate.diff else { return candidate }
            let patch = scratch.file("candidate-\(index).patch")
            guard (try? diff.write(toFile: patch, atomically: true, encoding: .utf8)) != nil,
                (try? scratchGit.git(["apply", "--whitespace=nowarn", patch])) != nil
            else {
                return marked(candidate, .fails(unit: "", error: "the patch does not apply to the tree as it is"))
            }
            let result = compile(
                files: candidate.filesTouched, in: worktree,
                withoutThePatch: { unit in
                    // Asked only about a unit that failed with the patch: the patch is taken off to try it alone.
                    if let known = baselines[unit] { return known }
                    _ = try? scratchGit.git(["apply", "-R", "--whitespace=nowarn", patch])
                    let alone = compile(files: [unit], in: worktree)
                    _ = try? scratchGit.git(["apply", "--whitespace=nowarn", patch])
                    baselines[unit] = alone
                    return alone
                })
            _ = try? scratchGit.git(["apply", "-R", "--whitespace=nowarn", patch])
            return marked(candidate, result)
        }
    }

    private func marked(_ candidate: FixCandidate, _ check: CompileCheck) -> FixCandidate {
        var candidate = candidate
        candidate.compileCheck = check
        return candidate
    }

    /// Each touched file through a unit that compiles it, each unit once.
    ///
    /// A unit that fails with the patch is tried alone: when it fails without the patch too, the next unit including
    /// the same header is tried, and only when none compiles alone is the candidate "not compile-checked" (never blamed
    /// on the patch).
    func compile(
        files: [String], in worktree: String,
        withoutThePatch: (String) -> CompileCheck = { .compiles(units: [$0]) }
    ) -> CompileCheck {
        var compiled: [String] = []
        for file in files {
            let entries = database.units(for: "\(sourceRoot)/\(file)", headersUnder: sourceRoot, limit: 3)
            guard !entries.isEmpty else {
                return .notChecked("no unit in \(database.path) compiles or includes \(file)")
            }
            if entries.contains(where: { compiled.contains(relative($0.file)) }) { continue }
            var brokenAlone: [(unit: String, error: String)] = []
            var settled = false
            for entry in entries {
                switch compileEntry(entry, in: worktree) {
                case .compiles:
                    compiled.append(relative(entry.file))
                    settled = true
                case .fails(let unit, let error):
                    guard case .fails(_, let alone) = withoutThePatch(unit) else {
                        return .fails(unit: unit, error: error)
                    }
                    brokenAlone.append((unit, alone))
                    continue
                case let other:
                    return other
                }
                break
            }
            if !settled, let first = brokenAlone.first {
                return .notChecked(
                    "\(first.unit) does not compile without the patch either (\(first.error))\(brokenAlone.count > 1 ? ", nor \(brokenAlone.dropFirst().map(\.unit).joined(separator: ", "))" : ""); check your compile database"
                )
            }
        }
        return .compiles(units: compiled)
    }

    private func relative(_ file: String) -> String {
        file.hasPrefix(sourceRoot + "/") ? String(file.dropFirst(sourceRoot.count + 1)) : file
    }

    /// One unit's syntax check in the scratch worktree.
    private func compileEntry(_ entry: CompileDatabase.Entry, in worktree: String) -> CompileCheck {
        let arguments = Self.syntaxOnly(entry.arguments).map { rewrite($0, into: worktree) }
        let directory = rewrite(entry.directory, into: worktree)
        let command = "cd \(ShellWords.line([directory])) && exec \(ShellWords.line(arguments))"
        let completed: ChildProcess.Completed
        do {
            completed = try ChildProcess.run(["sh", "-c", command], timeout: timeout)
        } catch {
            return .notChecked("the compiler could not be run: \(error.reason)")
        }
        let unit = relative(entry.file)
        if completed.timedOut { return .notChecked("\(unit) took longer than \(timeout.components.seconds) s") }
        guard completed.status == 0 else {
            return .fails(unit: unit, error: firstError(in: completed.errorText, worktree: worktree))
        }
        return .compiles(units: [unit])
    }

    /// The compile command made to check only: `-fsyntax-only`, no object file, no dependency files.
    static func syntaxOnly(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var skipNext = false
        for argument in arguments {
            if skipNext {
                skipNext = false
                continue
            }
            if ["-o", "-MF", "-MT", "-MQ"].contains(argument) {
                skipNext = true
                continue
            }
            if ["-MD", "-MMD", "-c"].contains(argument) || argument.hasPrefix("-o") && argument.count > 2 { continue }
            result.append(argument)
        }
        return result + ["-fsyntax-only"]
    }

    /// A path inside the user's tree pointed at the scratch copy, when the copy has it (generated headers in a build
    /// folder inside the tree stay where they are).
    func rewrite(_ argument: String, into worktree: String) -> String {
        guard let range = argument.range(of: sourceRoot) else { return argument }
        let rest = argument[range.upperBound...]
        guard rest.isEmpty || rest.hasPrefix("/") else { return argument }
        let candidate = worktree + rest
        guard FileManager.default.fileExists(atPath: candidate) else { return argument }
        return String(argument[..<range.lowerBound]) + candidate
    }

    /// `src/…/Unit.cpp:42: error: …`, with the scratch copy's path taken back to the user's tree.
    func firstError(in output: String, worktree: String) -> String {
        let lines = output.split(separator: "\n")
        let line = lines.first { $0.contains(": error: ") || $0.contains(": fatal error: ") } ?? lines.first ?? "?"
        var text = String(line).replacingOccurrences(of: worktree + "/", with: "")
        text = text.replacingOccurrences(of: sourceRoot + "/", with: "")
        // `file:line:column: error: message` → `file:line: error: message`
        let parts = text.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
        if parts.count == 4, Int(parts[1]) != nil, Int(parts[2]) != nil {
            return "\(parts[0]):\(parts[1]):\(parts[3])"
        }
        return text
    }
}
