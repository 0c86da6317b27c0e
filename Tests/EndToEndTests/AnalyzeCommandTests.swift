import CrashwatchKit
import Foundation
import TestSupport
import Testing

/// `crashwatch analyze` as a user runs it: the binary finds the shipped `Rules/` and prints one JSON object per file.
@Suite struct AnalyzeCommandTests {
    static let fixtures = Repository.path("Tests/CrashAnalysisTests/Fixtures")

    private func run(_ arguments: [String]) throws -> String {
        let binary = try DashboardEndToEndTests.binary()
        return try Tmux.spawn(binary, ["crashwatch"] + arguments)
    }

    @Test func jsonForTwoReports() throws {
        let output = try run([
            "analyze", "--json", "\(Repository.sharedFixture("crashes/wheaty-assert.txt"))",
            "\(Self.fixtures)/gdb-core-all-threads.txt",
        ])
        let documents = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        #expect(documents.count == 2)
        let signatures = documents.compactMap { ($0["signature"] as? [String: Any])?["text"] as? String }
        #expect(
            signatures == [
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

/// The demo loop without a terminal: crash → fix → rebuild → retest, exit 0 only when fixed.
@Suite(.timeLimit(.minutes(3)), .heavy) struct DemoLoopHeadlessTests {
    @Test func theDemoLoopFixesItsCrash() throws {
        let binary = try DashboardEndToEndTests.binary()
        let folderScratch = TemporaryDirectory("cw-demo-loop")
        let folder = folderScratch.path
        let output = try Tmux.spawn(
            "/bin/sh",
            ["sh", "-c", "'\(binary)' demo --headless --mode auto --retest 2 --folder '\(folder)'; echo exit=$?"])
        // A C++ compiler and gdb are installed (.ci/run): the demo program is compiled, crashes for real, and its
        // core is read by gdb.
        #expect(output.contains("demo: real C++ worldserver built with"), "\(output)")
        #expect(output.contains("iteration 1: analyse — SIGSEGV | Unit::DealDamage"))
        // The cause fix, in the demo's bot login: the symptom-only guard in DealDamage waits for a person.
        #expect(output.contains("iteration 1: approve — auto: bot-login-setup in World::LoginBot"), "\(output)")
        #expect(output.contains("iteration 1: build — succeeded"))
        #expect(output.contains("retest — survived"))
        #expect(output.contains("loop: fixed: SIGSEGV | Unit::DealDamage no longer crashes in the retest"))
        #expect(output.hasSuffix("exit=0\n"))
        // The fix is a real commit in the demo tree.
        let log = try Tmux.spawn("/usr/bin/git", ["git", "-C", "\(folder)/tree", "log", "--format=%s"])
        #expect(log.hasPrefix("crashwatch: bot-login-setup in World::LoginBot"), "\(log)")
        let reports = try FileManager.default.contentsOfDirectory(atPath: "\(folder)/Crashes").filter {
            $0.hasSuffix(".txt")
        }
        let name = try #require(reports.first)
        #expect(reports.count == 1 && name.hasPrefix("gdb-"), "\(reports)")
        let report = try String(contentsOfFile: "\(folder)/Crashes/\(name)", encoding: .utf8)
        #expect(report.contains("in Unit::DealDamage (attacker="), "gdb's own frame, with its arguments")
        #expect(report.contains("World::ProcessDelayedDamages"))
        // The rebuilt server names the fix commit as its build.
        let head = try Tmux.spawn("/usr/bin/git", ["git", "-C", "\(folder)/tree", "rev-parse", "--short=12", "HEAD"])
        let serverLog = try String(contentsOfFile: "\(folder)/Server.log", encoding: .utf8)
        #expect(serverLog.contains("TrinityCore rev. \(head.trimmingCharacters(in: .whitespacesAndNewlines))"))
    }

    @Test func theSimulatedDemoStillFixesItsCrash() throws {
        let binary = try DashboardEndToEndTests.binary()
        // Nothing compiles the simulated tree, so auto mode holds the fix for a person, who says yes.
        let auto = try Tmux.spawn(
            "/bin/sh",
            ["sh", "-c", "'\(binary)' demo --headless --simulated --mode auto --retest 2 </dev/null; echo exit=$?"])
        #expect(
            auto.contains("auto holds bot-login-setup in World::LoginBot for a person: not compile-checked"), "\(auto)")
        #expect(auto.hasSuffix("exit=1\n"))
        let output = try Tmux.spawn(
            "/bin/sh",
            ["sh", "-c", "yes | '\(binary)' demo --headless --simulated --mode semi --retest 2; echo exit=$?"])
        #expect(output.contains("demo: simulated server"))
        #expect(output.contains("loop: fixed: SIGSEGV | Unit::DealDamage no longer crashes in the retest"))
        #expect(output.hasSuffix("exit=0\n"))
    }

    @Test func manualModeStopsAfterTheAnalysisAndFails() throws {
        let binary = try DashboardEndToEndTests.binary()
        let output = try Tmux.spawn("/bin/sh", ["sh", "-c", "'\(binary)' demo --headless --mode manual; echo exit=$?"])
        #expect(output.contains("loop: manual mode: SIGSEGV | Unit::DealDamage analysed; nothing applied"))
        // The demo's own folder is gone after exit, but the report it names is kept.
        let reportLine = try #require(output.split(separator: "\n").first { $0.hasPrefix("loop report: ") })
        let reportPath = String(reportLine.dropFirst("loop report: ".count))
        #expect(FileManager.default.fileExists(atPath: reportPath), "\(reportPath) was printed, so it must exist")
        try? FileManager.default.removeItem(atPath: reportPath)
        #expect(output.hasSuffix("exit=1\n"))
    }
}

/// `analyze --source` signs an assertion that names only its method the way the inbox does.
@Suite struct AnalyzeSourceTests {
    let scratch = TemporaryDirectory("cw-analyze-source")

    @Test func aBareAssertIsQualifiedFromTheSourceTree() throws {
        let tree = scratch.file("tree/src/server/game/Entities/Unit")
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        try "void Unit::RemoveOwnedAura(Aura* aura)\n{\n    ASSERT(aura->GetOwner() == this);\n}\n"
            .write(toFile: "\(tree)/Unit.cpp", atomically: false, encoding: .utf8)
        let report = scratch.file("assert.txt")
        try
            "/build/src/server/game/Entities/Unit/Unit.cpp:4021 in RemoveOwnedAura ASSERTION FAILED:\n  aura->GetOwner() == this\n"
            .write(toFile: report, atomically: false, encoding: .utf8)
        let binary = try DashboardEndToEndTests.binary()
        let plain = try Tmux.spawn(binary, ["crashwatch", "analyze", "--json", report])
        let qualified = try Tmux.spawn(
            binary, ["crashwatch", "analyze", "--json", "--source", scratch.file("tree"), report])
        #expect(!plain.contains("Unit::RemoveOwnedAura (Unit.cpp)"), "without the tree the class is not known")
        #expect(
            qualified.contains("ASSERTION | Unit::RemoveOwnedAura (Unit.cpp) | aura->GetOwner()==this"), "\(qualified)")
        let missing = try Tmux.spawn(
            "/bin/sh", ["sh", "-c", "'\(binary)' analyze --source /no/such/tree '\(report)'; echo exit=$?"])
        #expect(missing.contains("source tree /no/such/tree does not exist"))
        #expect(!missing.hasSuffix("exit=0\n"))
    }
}
