public import CrashwatchKit
import Foundation
public import Testing

/// A small C++ source tree of a test's own, in TrinityCore's shapes: files written under a scratch folder, a git
/// repository, and the real compiler (`.ci/run` installs g++).
public struct CppTree: Sendable {
    public let scratch: TemporaryDirectory
    public var root: String { scratch.path }

    public init(_ name: String) {
        scratch = TemporaryDirectory(name)
    }

    public func write(_ text: String, to path: String) throws {
        let file = "\(root)/\(path)"
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// Runs git in the tree; a failure is thrown with what git said.
    @discardableResult
    public func git(_ arguments: [String]) throws -> String {
        let completed = try ChildProcess.run(["git", "-C", root] + arguments)
        guard completed.succeeded else {
            throw GitFailed(arguments: arguments, said: completed.errorText + completed.outputText)
        }
        return completed.outputText
    }

    /// `git init` on `main` and one commit of everything written so far.
    public func commitEverything(_ message: String) throws {
        try git(["init", "-q", "-b", "main"])
        try git(["add", "."])
        try git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", message])
    }

    /// The C++ compiler the tests use, or a recorded issue naming what to install.
    public static func compiler(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(
            ["/usr/bin/g++", "/usr/bin/c++", "/usr/bin/clang++"].first {
                FileManager.default.isExecutableFile(atPath: $0)
            }, "a C++ compiler (.ci/run installs g++)", sourceLocation: sourceLocation)
    }

    public struct GitFailed: Error, CustomStringConvertible {
        public var arguments: [String]
        public var said: String
        public var description: String { "git \(arguments.joined(separator: " ")): \(said)" }
    }
}
