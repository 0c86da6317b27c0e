import CrashwatchKit
import Demo
import Foundation
import TestSupport
import Testing

@testable import Supervisor

@Suite(.heavy) struct DemoSourceTreeTests {
    @Test func theBotGuardRepairsTheDemoTree() throws {
        let folderScratch = TemporaryDirectory("cw-demo-tree")
        let folder = folderScratch.path
        try DemoSourceTree.create(at: folder)
        #expect(DemoSourceTree.build(folder) == .buggy)
        let path = "\(folder)/\(DemoSourceTree.unitFile)"
        let fixed = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: "    if (victim->IsImmunedToDamage(spellProto))",
            with:
                "    if (victim->ToPlayer() && victim->ToPlayer()->GetSession()->IsBot())\n        return 0;\n    if (victim->IsImmunedToDamage(spellProto))"
        )
        try fixed.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(DemoSourceTree.build(folder) == .fixed)
        try (fixed + "{\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(DemoSourceTree.build(folder) == .failed("\(DemoSourceTree.unitFile): unbalanced braces or parentheses"))
    }

    @Test func aPatchThatDoesNotCompileFailsTheRealBuild() async throws {
        let scratch = TemporaryDirectory("cw-demo-build")
        try DemoSourceTree.create(at: scratch.path)
        let compiler = try DemoToolchain.find().get().compiler
        let build = ProcessSpec(command: DemoProgram.buildCommand(compiler: compiler), workingDirectory: scratch.path)
        let first = try await CommandRunner().run(build)
        #expect(first.termination.isSuccess, "\(first.lastLines)")
        #expect(FileManager.default.isExecutableFile(atPath: "\(scratch.path)/\(DemoProgram.binary)"))
        let path = "\(scratch.path)/\(DemoSourceTree.unitFile)"
        let broken = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: "victim->ModifyHealth(-int32(damage));", with: "victim->ModifyHealth(-int32(damage))")
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        let second = try await CommandRunner().run(build)
        #expect(!second.termination.isSuccess)
        #expect(second.lastLines.contains { $0.contains("Unit.cpp") && $0.contains("error") }, "\(second.lastLines)")
    }
}
