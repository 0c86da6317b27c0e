import CrashwatchKit
import Demo
import Foundation
import TestSupport
import Testing

/// `crashwatch propose`: the candidates for a report without the dashboard, each compiled with the tree's own
/// compile database, and the tree left as it was.
@Suite(.timeLimit(.minutes(2)), .heavy) struct ProposeCommandTests {
    let scratch = TemporaryDirectory("cw-propose")

    @Test func candidatesComeWithTheirCompileResult() throws {
        let binary = try DashboardEndToEndTests.binary()
        let tree = scratch.file("tree")
        try DemoSourceTree.create(at: tree)
        let compiler = try DemoToolchain.find().get().compiler
        try FileManager.default.createDirectory(atPath: "\(tree)/build", withIntermediateDirectories: true)
        try DemoProgram.compileDatabase(tree: tree, compiler: compiler).write(
            toFile: "\(tree)/build/compile_commands.json", atomically: true, encoding: .utf8)
        let report = scratch.file("crash.txt")
        try """
        Program terminated with signal SIGSEGV, Segmentation fault.
        #0  0x0000556d48e636c6 in Unit::DealDamage (attacker=0x1, victim=0x0, damage=5) at /src/server/game/Entities/Unit/Unit.cpp:16
        #1  0x0000556d49260b9e in World::ProcessDelayedDamages (this=0x3) at /src/server/worldserver/Main.cpp:210
        #2  0x0000556d4926a000 in PlayerbotAI::UpdateAI (this=0x4, elapsed=50) at /src/modules/Playerbot/AI/PlayerbotAI.cpp:300
        """.write(toFile: report, atomically: true, encoding: .utf8)
        let completed = try ChildProcess.run([binary, "propose", "--source", tree, "--json", report])
        #expect(completed.succeeded, "\(completed.errorText)")
        let documents = try #require(
            try JSONSerialization.jsonObject(with: completed.output) as? [[String: Any]])
        let candidates = try #require(documents.first?["candidates"] as? [[String: Any]])
        let botGuard = try #require(candidates.first { ($0["source"] as? String) == "template:bot-guard" })
        #expect(botGuard["compile"] as? String == "compiles", "\(botGuard)")
        #expect((botGuard["diff"] as? String)?.contains("IsBot()") == true)
        let status = try ChildProcess.run(["git", "-C", tree, "status", "--porcelain"])
        #expect(status.outputText.isEmpty, "the tree is as it was")

        let text = try ChildProcess.run([binary, "propose", "--source", tree, report]).outputText
        #expect(text.contains("✓ compiles with your build's flags (Unit.cpp)"), "\(text)")
        let missing = try ChildProcess.run([binary, "propose", "--source", scratch.file("nowhere"), report])
        #expect(!missing.succeeded)
        #expect(missing.errorText.contains("does not exist"))
    }
}
