import CrashAnalysis
import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import FixEngine

/// A pattern's upstream fix commit, found in the user's repository: offered first (cherry-picked onto their HEAD)
/// when a fetched remote has it and their branch does not; said when their tree already has it.
@Suite(.timeLimit(.minutes(1))) struct UpstreamFixTests {
    let scratch = TemporaryDirectory("cw-upstream")
    var upstream: String { "\(scratch.path)/upstream" }
    var clone: String { "\(scratch.path)/clone" }
    static let file = "src/server/shared/Networking/Socket.h"

    static let socket = """
        #pragma once
        class Socket
        {
        public:
            void CloseSocket()
            {
                _socket.close();
            }
        };

        """

    func git(_ arguments: [String], in root: String) throws -> String {
        try GitPatchApplier(root: root).git(["-c", "user.name=t", "-c", "user.email=t@t"] + arguments)
    }

    /// Upstream's history: the tree, then the fix; the clone was made before the fix and has fetched it since.
    func makeRepositories(localChange: Bool = false) throws -> String {
        try FileManager.default.createDirectory(
            atPath: "\(upstream)/src/server/shared/Networking", withIntermediateDirectories: true)
        try Self.socket.write(toFile: "\(upstream)/\(Self.file)", atomically: true, encoding: .utf8)
        _ = try git(["init", "-q", "-b", "3.3.5"], in: upstream)
        _ = try git(["add", "."], in: upstream)
        _ = try git(["commit", "-q", "-m", "tree"], in: upstream)
        _ = try ChildProcess.run(["git", "clone", "-q", upstream, clone])
        if localChange {
            // The user's own work above the fixed lines: the cherry-pick lands on it.
            try Self.socket.replacingOccurrences(of: "#pragma once\n", with: "#pragma once\n// our fork\n").write(
                toFile: "\(clone)/\(Self.file)", atomically: true, encoding: .utf8)
            _ = try git(["commit", "-qam", "fork change"], in: clone)
        }
        try Self.socket.replacingOccurrences(
            of: "_socket.close();", with: "boost::system::error_code error;\n        _socket.close(error);"
        ).write(toFile: "\(upstream)/\(Self.file)", atomically: true, encoding: .utf8)
        _ = try git(["commit", "-qam", "Fixed a rare crash case when the socket was closed during read"], in: upstream)
        _ = try git(["fetch", "-q", "origin"], in: clone)
        return try git(["rev-parse", "origin/3.3.5"], in: clone).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aFetchedUpstreamFixIsCherryPickedOntoTheUsersHead() throws {
        let commit = try makeRepositories(localChange: true)
        let candidate = UpstreamFix(root: clone).candidate(commit: commit, patternID: "null-socket", evidence: [])
        let diff = try #require(candidate.diff, "\(candidate.problem ?? "")")
        #expect(diff.contains("+        _socket.close(error);"), "\(diff)")
        #expect(candidate.title.contains("Fixed a rare crash case"))
        #expect(candidate.upstreamCommit == commit)
        #expect(candidate.evidence.contains { $0.contains("on origin/3.3.5") }, "\(candidate.evidence)")
        #expect(!candidate.isSymptomOnly)
        // The user's repository is as it was: same HEAD, clean, no worktree left behind.
        #expect(try git(["status", "--porcelain"], in: clone).isEmpty)
        #expect(try git(["worktree", "list"], in: clone).split(separator: "\n").count == 1)
        // Applied, its commit says where it came from, as `git cherry-pick -x` would.
        let message = candidate.commitMessage(signature: "SIGSEGV | Socket::CloseSocket", groupKey: "g")
        #expect(message.contains("(cherry picked from commit \(commit))"))
        try GitPatchApplier(root: clone).check(diff: diff)
    }

    @Test func aTreeThatHasTheFixAlreadyIsToldSo() throws {
        let commit = try makeRepositories()
        _ = try git(["merge", "-q", "--ff-only", "origin/3.3.5"], in: clone)
        let candidate = UpstreamFix(root: clone).candidate(commit: commit, patternID: "null-socket", evidence: [])
        #expect(candidate.diff == nil)
        #expect(candidate.problem?.contains("your tree already has upstream fix") == true, "\(candidate.problem ?? "")")
        let unknown = UpstreamFix(root: clone).candidate(
            commit: String(repeating: "ab", count: 20), patternID: "null-socket", evidence: [])
        #expect(unknown.problem?.contains("this repository does not have") == true)
    }
}
