import CrashwatchKit

/// Whether one build contains another, asked of the user's source tree: `git merge-base --is-ancestor`.
///
/// Builds are the hashes reports print (a `+` for a dirty tree is ignored). Nil when git or the tree does not know
/// both.
public struct GitAncestry: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// Whether `build` descends from (or is) `ancestor`.
    public func isDescendant(_ build: String, of ancestor: String) -> Bool? {
        let build = Self.commit(build), ancestor = Self.commit(ancestor)
        guard !build.isEmpty, !ancestor.isEmpty else { return nil }
        let arguments = ["git", "-C", root, "merge-base", "--is-ancestor", ancestor, build]
        guard let completed = try? ChildProcess.run(arguments) else { return nil }
        switch completed.status {
        case 0: return true
        case 1: return false
        default: return nil  // 128: a revision the tree does not have
        }
    }

    static func commit(_ build: String) -> String {
        let hash = build.hasSuffix("+") ? String(build.dropLast()) : build
        return hash.allSatisfy(\.isHexDigit) ? hash : ""
    }
}
