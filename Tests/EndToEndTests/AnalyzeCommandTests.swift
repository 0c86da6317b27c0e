import Foundation
import Testing

/// `crashwatch analyze` as a user runs it: the binary finds the shipped `Rules/` and prints one JSON object per file.
@Suite struct AnalyzeCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CrashAnalysisTests/Fixtures").path

    private func run(_ arguments: [String]) throws -> String {
        let binary = try DashboardEndToEndTests.binary()
        return try Tmux.spawn(binary, ["crashwatch"] + arguments)
    }

    @Test func jsonForTwoReports() throws {
        let output = try run(["analyze", "--json", "\(Self.fixtures)/wheaty-assert.txt", "\(Self.fixtures)/gdb-core-all-threads.txt"])
        let documents = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        #expect(documents.count == 2)
        let signatures = documents.compactMap { ($0["signature"] as? [String: Any])?["text"] as? String }
        #expect(signatures == [
            "ASSERTION | WorldObject::GetMap | Map::AddObjectToRemoveList", "SIGSEGV | Spell::EffectSchoolDMG",
        ])
        let patterns = (documents[0]["diagnosis"] as? [String: Any])?["patterns"] as? [[String: Any]]
        #expect(patterns?.first?["id"] as? String == "map-remove-list")
    }

    @Test func unreadableFileIsNamed() throws {
        let output = try run(["analyze", "/no/such/report.txt"])
        #expect(output.contains("cannot read /no/such/report.txt"))
    }
}
