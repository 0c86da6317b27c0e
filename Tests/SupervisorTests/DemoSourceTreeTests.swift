import CrashwatchKit
import Demo
import Foundation
import TestSupport
import Testing

@Suite struct DemoSourceTreeTests {
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
}
