import Foundation

/// Finds the line of the user's tree where a frame crashed: the report's line when the tree is the report's build,
/// the same statement when the build is an older commit of this repository, or the one call to the frame above.
///
/// Line numbers drift with every merge, so a line is used only when something confirms it: the build hash, the
/// statement's text in that build, or the call the next frame was made through.
public struct CrashSiteFinder: Sendable {
    public let locator: SourceLocator
    /// The report's build hash (`7d14957a32df`, `+` when the build had local changes).
    public var buildHash: String?

    public init(locator: SourceLocator, buildHash: String?) {
        self.locator = locator
        self.buildHash = buildHash
    }

    /// The 0-based line of `function`'s body where the frame crashed, and how it was found.
    /// - Parameters:
    ///   - reportedLine: the frame's 1-based line in the report, if it has one.
    ///   - callee: the method of the frame above, which this line calls.
    public func line(
        in function: SourceFunction, lines: [String], reportedLine: Int?, callee: String?
    ) -> Result<(line: Int, how: String), TemplateRefusal> {
        let bodyEnd = function.bodyCloseLine(in: lines)
        let body = (function.bodyOpenLine + 1)..<bodyEnd
        let file = (function.file as NSString).lastPathComponent
        var unconfirmed: String?
        if let reportedLine {
            let index = reportedLine - 1
            switch buildState() {
            case .head(let hash):
                if body.contains(index) {
                    return .success(
                        (index, "\(file):\(reportedLine), the line of the report (the tree is its build \(hash))"))
                }
                return .failure(
                    .init(
                        reason: "line \(reportedLine) is not in \(function.name) though the tree is the report's build")
                )
            case .older(let hash):
                return sameStatement(
                    as: reportedLine, of: hash, function: function, lines: lines, body: body, file: file)
            case .unknown(let why):
                if body.contains(index), plausible(lines[index], callee: callee) {
                    return .success((index, "\(file):\(reportedLine), the line of the report (\(why))"))
                }
                unconfirmed = why
            }
        }
        guard let callee else {
            return .failure(
                .init(
                    reason: reportedLine == nil
                        ? "the report gives no line for \(function.name)"
                        : "line \(reportedLine!) of the report is not a dereference in \(function.name) here, and nothing confirms the line (\(unconfirmed ?? "the tree may not be the report's build"))"
                ))
        }
        let calls = body.filter { CrashLineGuard.receiver(ofCallTo: callee, in: CrashLineGuard.code(lines[$0])) != nil }
        switch calls.count {
        case 1:
            return .success((calls[0], "\(file):\(calls[0] + 1), the only call to \(callee) in \(function.name)"))
        case 0:
            return .failure(.init(reason: "\(function.name) does not call \(callee) in this tree"))
        default:
            return .failure(
                .init(
                    reason:
                        "\(function.name) calls \(callee) at lines \(calls.map { String($0 + 1) }.joined(separator: ", ")) and the report does not say which"
                ))
        }
    }

    enum BuildState {
        case head(String)
        case older(String)
        case unknown(String)
    }

    func buildState() -> BuildState {
        guard let hash = buildHash?.trimmingCharacters(in: CharacterSet(charactersIn: "+")), hash.count >= 7,
            hash.allSatisfy(\.isHexDigit)
        else { return .unknown("the report names no build; the line is taken as it is") }
        let git = GitPatchApplier(root: locator.root)
        guard let head = try? git.git(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines) else {
            return .unknown("the tree is not a git repository to compare with build \(hash)")
        }
        if head.hasPrefix(hash.lowercased()) { return .head(hash) }
        guard (try? git.git(["cat-file", "-e", "\(hash)^{commit}"])) != nil else {
            return .unknown("build \(hash) is not a commit of this repository")
        }
        return .older(hash)
    }

    /// The statement at `reportedLine` of the report's build, found again in HEAD's function by its text, nearest to
    /// the same distance from the function's start.
    func sameStatement(
        as reportedLine: Int, of hash: String, function: SourceFunction, lines: [String], body: Range<Int>,
        file: String
    ) -> Result<(line: Int, how: String), TemplateRefusal> {
        let git = GitPatchApplier(root: locator.root)
        guard let oldText = try? git.git(["show", "\(hash):\(function.file)"]) else {
            return .failure(.init(reason: "\(function.file) is not in build \(hash)"))
        }
        let oldLines = SourceLocator.lines(of: oldText)
        guard let old = locator.find(function, in: oldLines) else {
            return .failure(.init(reason: "\(function.name) is not in \(function.file) of build \(hash)"))
        }
        let oldIndex = reportedLine - 1
        guard oldIndex > old.bodyOpenLine, oldIndex < old.bodyCloseLine(in: oldLines) else {
            return .failure(.init(reason: "line \(reportedLine) is not in \(function.name) in build \(hash)"))
        }
        let statement = oldLines[oldIndex].trimmingCharacters(in: .whitespaces)
        let distance = oldIndex - old.bodyOpenLine
        let same = body.filter { lines[$0].trimmingCharacters(in: .whitespaces) == statement }
        guard
            let nearest = same.min(by: {
                abs($0 - function.bodyOpenLine - distance) < abs($1 - function.bodyOpenLine - distance)
            })
        else {
            return .failure(
                .init(
                    reason:
                        "the statement at line \(reportedLine) of build \(hash) (`\(statement.prefix(60))`) is no longer in \(function.name)"
                ))
        }
        return .success(
            (nearest, "\(file):\(nearest + 1), the statement at line \(reportedLine) of the report's build \(hash)"))
    }

    /// Whether a line could be where the frame stopped: it calls the frame above, or it dereferences something.
    func plausible(_ line: String, callee: String?) -> Bool {
        let code = CrashLineGuard.code(line)
        if let callee { return CrashLineGuard.receiver(ofCallTo: callee, in: code) != nil }
        return code.contains("->") || code.contains("*") || code.contains("[") || code.contains(".")
    }
}
