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
        return candidates.enumerated().map { index, candidate in
            guard let diff = candidate.diff else { return candidate }
            let patch = scratch.file("candidate-\(index).patch")
            guard (try? diff.write(toFile: patch, atomically: true, encoding: .utf8)) != nil,
                (try? scratchGit.git(["apply", "--whitespace=nowarn", patch])) != nil
            else {
                return marked(candidate, .fails(unit: "", error: "the patch does not apply to the tree as it is"))
            }
            let result = compile(files: candidate.filesTouched, in: worktree)
            _ = try? scratchGit.git(["apply", "-R", "--whitespace=nowarn", patch])
            guard case .fails(let unit, _) = result, !unit.isEmpty else { return marked(candidate, result) }
            let baseline = baselines[unit] ?? compile(files: [unit], in: worktree)
            baselines[unit] = baseline
            if case .fails(_, let error) = baseline {
                return marked(
                    candidate,
                    .notChecked(
                        "\(unit) does not compile without the patch either (\(error)); check your compile database"))
            }
            return marked(candidate, result)
        }
    }

    private func marked(_ candidate: FixCandidate, _ check: CompileCheck) -> FixCandidate {
        var candidate = candidate
        candidate.compileCheck = check
        return candidate
    }

    func compile(files: [String], in worktree: String) -> CompileCheck {
        var units: [String] = []
        for file in files {
            guard let entry = database.unit(for: "\(sourceRoot)/\(file)", headersUnder: sourceRoot) else {
                return .notChecked("no unit in \(database.path) compiles or includes \(file)")
            }
            let arguments = Self.syntaxOnly(entry.arguments).map { rewrite($0, into: worktree) }
            let directory = rewrite(entry.directory, into: worktree)
            let command = "cd \(ShellWords.line([directory])) && exec \(ShellWords.line(arguments))"
            let completed: ChildProcess.Completed
            do {
                completed = try ChildProcess.run(["sh", "-c", command], timeout: timeout)
            } catch {
                return .notChecked("the compiler could not be run: \(error.reason)")
            }
            let unit =
                entry.file.hasPrefix(sourceRoot + "/") ? String(entry.file.dropFirst(sourceRoot.count + 1)) : entry.file
            if completed.timedOut { return .notChecked("\(unit) took longer than \(timeout.components.seconds) s") }
            guard completed.status == 0 else {
                return .fails(unit: unit, error: firstError(in: completed.errorText, worktree: worktree))
            }
            units.append(unit)
        }
        return .compiles(units: units)
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
