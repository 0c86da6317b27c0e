import CrashAnalysis
import CrashStore
import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import CrashInbox

@Suite struct CrashInboxServiceTests {
    let folder: String

    let scratch = TemporaryDirectory("cw-inbox")

    init() throws {
        folder = scratch.path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    static let report = """
        Program terminated with signal SIGSEGV, Segmentation fault.
        #0  0x0000556d48e636c6 in Map::Update (this=0x1, t_diff=50) at /src/server/game/Maps/Map.cpp:700
        #1  0x0000556d48e70000 in MapUpdater::WorkerThread (this=0x2) at /src/server/game/Maps/MapUpdater.cpp:110
        """

    private func analyzer() throws -> CrashAnalyzer {
        var rules = SignatureRules()
        try rules.add("^MapUpdater::WorkerThread$\n", to: .irrelevant, file: "test")
        return CrashAnalyzer(rules: rules, patterns: [], components: ComponentRules())
    }

    private func event(_ name: String, kind: CrashFileEvent.Kind = .report(minidump: nil)) -> CrashFileEvent {
        CrashFileEvent(
            path: "\(folder)/\(name)", kind: kind, wasPresentAtStart: false, lastWrite: Date().timeIntervalSince1970,
            size: 1)
    }

    @Test func aFileReadAgainReplacesItsPartialRead() async throws {
        let history = try CrashHistory(path: "\(folder)/history.sqlite")
        let service = CrashInboxService(analyzer: try analyzer(), history: history)
        let partial = "Program terminated with signal SIGSEGV, Segmentation fault.\n"
        try partial.write(toFile: "\(folder)/a.txt", atomically: false, encoding: .utf8)
        _ = try #require(await service.process(event("a.txt")))
        try Self.report.write(toFile: "\(folder)/a.txt", atomically: false, encoding: .utf8)
        var again = event("a.txt")
        again.rewritten = true
        let item = try #require(await service.process(again))
        #expect(item.replacesEarlierRead)
        #expect(item.result?.signature.signature == "SIGSEGV | Map::Update")
        let groups = try await history.groups()
        #expect(groups.count == 1, "the partial read's group is gone")
        #expect(groups.first?.count == 1)
    }

    @Test func newReportIsAnalysedAndStoredOnce() async throws {
        let history = try CrashHistory(path: "\(folder)/history.sqlite")
        let service = CrashInboxService(analyzer: try analyzer(), history: history)
        try Self.report.write(toFile: "\(folder)/a.txt", atomically: false, encoding: .utf8)
        let item = try #require(await service.process(event("a.txt")))
        #expect(item.result?.signature.signature == "SIGSEGV | Map::Update")
        #expect(item.groupCount == 1)
        guard case .recorded(_, .newGroup)? = item.outcome else {
            Issue.record("got \(String(describing: item.outcome))"); return
        }
        // The same file read again (touched, re-imported) or renamed is not a new crash.
        #expect(await service.process(event("a.txt")) == nil)
        try FileManager.default.moveItem(atPath: "\(folder)/a.txt", toPath: "\(folder)/renamed.txt")
        #expect(await service.process(event("renamed.txt")) == nil)
        // A new file with byte-identical text is the same crash again: assert text carries no time.
        try Self.report.write(toFile: "\(folder)/copy.txt", atomically: false, encoding: .utf8)
        let again = try #require(await service.process(event("copy.txt")))
        #expect(again.groupCount == 2)
        #expect(again.note?.hasPrefix("identical text to occurrence 1") == true)
        // Another occurrence of the same crash groups with it.
        try (Self.report + "\n").write(toFile: "\(folder)/b.txt", atomically: false, encoding: .utf8)
        let repeated = try #require(await service.process(event("b.txt")))
        #expect(repeated.groupCount == 3)
    }

    @Test func loneMinidumpSaysHowToGetAReport() async throws {
        let service = CrashInboxService(analyzer: try analyzer(), history: nil)
        let item = try #require(await service.process(event("x.dmp", kind: .loneMinidump)))
        #expect(item.note?.contains("minidump, no text report") == true)
        #expect(item.note?.contains("minidump-stackwalk") == true)
    }

    @Test func suggestedCommandsQuoteThePath() async throws {
        let service = CrashInboxService(analyzer: try analyzer(), history: nil)
        let name = "evil $(touch PWNED); x [1].dmp"
        let item = try #require(await service.process(event(name, kind: .loneMinidump)))
        let note = try #require(item.note)
        // The quoted word, pasted into a shell, is the path itself and runs nothing.
        let quoted = CrashInboxService.shellQuoted("\(folder)/\(name)")
        #expect(note.contains("minidump-stackwalk \(quoted) > "))
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.currentDirectoryURL = URL(fileURLWithPath: folder)
        shell.arguments = ["-c", "printf %s \(quoted)"]
        let pipe = Pipe()
        shell.standardOutput = pipe
        try shell.run()
        shell.waitUntilExit()
        #expect(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "\(folder)/\(name)")
        #expect(!FileManager.default.fileExists(atPath: "\(folder)/PWNED"))
        #expect(CrashInboxService.shellQuoted("/srv/Crashes/a.dmp") == "/srv/Crashes/a.dmp")
        #expect(CrashInboxService.shellQuoted("it's.dmp") == "'it'\\''s.dmp'")
    }

    @Test func anAssertNamingOnlyTheMethodIsQualifiedFromTheSourceTree() async throws {
        let tree = "\(folder)/src/server/game/Entities/Unit"
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        try "void Unit::RemoveOwnedAura(Aura* aura)\n{\n    ASSERT(aura->GetOwner() == this);\n}\n"
            .write(toFile: "\(tree)/Unit.cpp", atomically: false, encoding: .utf8)
        let service = CrashInboxService(analyzer: try analyzer(), history: nil, sourceRoot: folder)
        try
            "/build/src/server/game/Entities/Unit/Unit.cpp:4021 in RemoveOwnedAura ASSERTION FAILED:\n  aura->GetOwner() == this\n"
            .write(toFile: "\(folder)/original.txt", atomically: false, encoding: .utf8)
        try
            "\\ src \\ server \\ game \\ Entities \\ Unit \\ Unit.cpp: 4021 in Unit :: RemoveOwnedAura ASSERTION FAILED:\n  aura -> GetOwner() == this\n"
            .write(toFile: "\(folder)/retyped.txt", atomically: false, encoding: .utf8)
        let original = try #require(await service.process(event("original.txt")))
        let retyped = try #require(await service.process(event("retyped.txt")))
        #expect(
            original.result?.signature.signature
                == "ASSERTION | Unit::RemoveOwnedAura (Unit.cpp) | aura->GetOwner()==this")
        #expect(original.result?.signature.groupKey == retyped.result?.signature.groupKey)
    }

    /// TrinityCore's `Aura::GetUnitOwner` is defined inline in `class TC_GAME_API Aura` (SpellAuras.h), while
    /// SpellScript.cpp defines an unrelated `AuraScript::GetUnitOwner(`: the asserting file's class wins.
    @Test func anInlineDefinitionInTheAssertingHeaderNamesTheClass() throws {
        let spells = "\(folder)/src/server/game/Spells"
        try FileManager.default.createDirectory(atPath: "\(spells)/Auras", withIntermediateDirectories: true)
        try """
        class Unit;
        class TC_GAME_API Aura
        {
            public:
                Unit* GetUnitOwner() const { ASSERT(GetType() == UNIT_AURA_TYPE); return m_owner->ToUnit(); }
                void Update(uint32 diff) { if (GetUnitOwner()->IsAlive()) Tick(diff); }
        };
        """.write(toFile: "\(spells)/Auras/SpellAuras.h", atomically: false, encoding: .utf8)
        try "Unit* AuraScript::GetUnitOwner() const\n{\n    return m_aura->GetUnitOwner();\n}\n"
            .write(toFile: "\(spells)/SpellScript.cpp", atomically: false, encoding: .utf8)
        let qualifier = SourceTreeQualifier(root: folder)
        #expect(qualifier.qualify(method: "GetUnitOwner", file: "SpellAuras.h") == "Aura::GetUnitOwner")
        #expect(qualifier.qualify(method: "GetUnitOwner", file: nil) == "AuraScript::GetUnitOwner")
        #expect(
            SourceTreeQualifier.inClassDefinition(of: "Tick", in: "class A\n{\n    void F() { Tick(1); }\n};\n") == nil)
    }

    @Test func unreadableFileIsAnItemWithANote() async throws {
        let service = CrashInboxService(analyzer: try analyzer(), history: nil)
        let item = try #require(await service.process(event("missing.txt")))
        #expect(item.note == "cannot be read")
    }

    /// A group crashing several times its usual hourly rate is flagged, measured against its own past in the history.
    @Test func aGroupCrashingFarAboveItsUsualRateEscalates() async throws {
        let history = try CrashHistory(path: "\(folder)/history.sqlite")
        let service = CrashInboxService(analyzer: try analyzer(), history: history)
        let now = Date().timeIntervalSince1970
        var items: [InboxItem] = []
        // Two crashes in the day before, then three within the last hour.
        for (index, hoursAgo) in [20.0, 10.0, 0.66, 0.33, 0].enumerated() {
            let name = "crash-\(index).txt"
            try Self.report.replacingOccurrences(of: "t_diff=50", with: "t_diff=\(index)").write(
                toFile: "\(folder)/\(name)", atomically: false, encoding: .utf8)
            var event = event(name)
            event.lastWrite = now - hoursAgo * 3_600
            items.append(try #require(await service.process(event)))
        }
        #expect(items.map { $0.rate?.lastHour } == [1, 1, 1, 2, 3])
        #expect(items[0].rate?.usualPerHour == nil, "a new group has no past")
        #expect(items.map { $0.rate?.isEscalating } == [false, false, false, false, true])
        let usual = try #require(items[4].rate?.usualPerHour)
        #expect(abs(usual - 2.0 / 19.0) < 0.01, "2 crashes in the 19 hours before the last one")
        #expect(items[4].rate?.summary == "3 in the last hour, usually 0.1 an hour")
    }
}
