import CrashwatchKit
import Testing

@testable import CrashAnalysis

@Suite struct SignatureTests {
    private func signature(_ name: String) throws -> CrashSignature {
        SignatureGenerator(rules: try TestRules.signatureRules()).signature(
            for: CrashReportParser.parse(try TestRules.fixture(name)))
    }

    @Test(arguments: [
        ("wheaty-tc-map-update", "ACCESS_VIOLATION | Creature::Update"),
        ("wheaty-ac-idle-first", "ACCESS_VIOLATION | Unit::DealDamage"),
        ("wheaty-assert", "ASSERTION | WorldObject::GetMap | Map::AddObjectToRemoveList"),
        ("wheaty-freeze", "FREEZE | _Mtx_lock | std::recursive_mutex::lock | BotSession::HandleBotLoginCharacter"),
        ("gdb-core-all-threads", "SIGSEGV | Spell::EffectSchoolDMG"),
        ("gdb-live-assert", "ASSERTION | WorldObject::GetMap | Creature::Update"),
        ("gdb-signal-handler", "SIGNAL | Player::GetSession | Group::BroadcastPacket"),
        ("gdb-markdown-eaten", "SIGSEGV | Unit::DealDamage"),
        ("ac-boxed-assert", "ASSERTION | getNGrid (Map.h) | x<MAX_NUMBER_OF_GRIDS&&y<MAX_NUMBER_OF_GRIDS"),
        ("cdb-analyze", "ACCESS_VIOLATION | Unit::DealDamage"),
    ])
    func signatures(fixture: String, expected: String) throws {
        let result = try signature(fixture)
        #expect(result.signature == expected)
        #expect(result.algorithmVersion == SignatureGenerator.algorithmVersion)
        #expect(
            !result.signature.contains(where: { $0.isNumber }) || expected.contains(where: { $0.isNumber }),
            "no line numbers in signatures")
    }

    @Test func sameCrashFromTwoBuildsGroupsTogether() throws {
        let a = try signature("dup-build-a"), b = try signature("dup-build-b")
        #expect(a.signature == b.signature)
        #expect(a.groupKey == b.groupKey)
        #expect(
            a.signature == "ACCESS_VIOLATION | ObjectAccessor::GetUnit | Unit::GetVictim | CreatureAI::UpdateVictim")
    }

    @Test func crashesSharingAPrefixFrameStayApart() throws {
        let a = try signature("prefix-share-a"), b = try signature("prefix-share-b")
        #expect(a.signature != b.signature)
        #expect(a.groupKey != b.groupKey)
        #expect(a.similarity(to: b) > 0, "they share frames, so they are similar")
        #expect(a.similarity(to: a) == 1)
    }

    @Test func unknownCrashingThreadIsSaidInTheNote() throws {
        let result = try signature("gdb-unmarked")
        #expect(result.note?.hasPrefix("crashing thread unknown") == true)
    }

    @Test func keepLineNumberRule() throws {
        var rules = try TestRules.signatureRules()
        try rules.add("^Map::Update$", to: .keepLineNumber, file: "user.txt")
        let report = CrashReportParser.parse(
            "Program terminated with signal SIGSEGV, Segmentation fault.\n#0  0x1 in Map::Update (this=0x1) at /src/Map.cpp:700\n"
        )
        #expect(SignatureGenerator(rules: rules).signature(for: report).signature == "SIGSEGV | Map::Update:700")
    }

    @Test func longSignaturesAreCut() throws {
        let frames = (0..<60).map { "#\($0)  0x1 in std::vector<int>::operator[] (this=0x1) at /usr/include/v.h:\($0)" }
        let report = CrashReportParser.parse(
            "Program terminated with signal SIGSEGV, Segmentation fault.\n" + frames.joined(separator: "\n"))
        let result = SignatureGenerator(rules: try TestRules.signatureRules()).signature(for: report)
        #expect(result.signature.count <= SignatureGenerator.maxLength)
    }

    @Test func invalidRuleNamesFileAndLine() {
        var rules = SignatureRules()
        #expect(throws: RuleFileError(file: "mine.txt", line: 3, problem: "not a valid regular expression: ^Map::(")) {
            try rules.add("# comment\n^ok$\n^Map::(\n", to: .prefix, file: "mine.txt")
        }
    }

    @Test func shippedRuleListsLoad() throws {
        let rules = try TestRules.signatureRules()
        for list in SignatureRules.List.allCases { #expect(rules.count(list) > 0, "\(list.fileName) is empty") }
    }

    @Test(arguments: [
        ("Acore::ObjectUpdater::Visit<Creature>", "Acore::ObjectUpdater::Visit<T>"),
        ("Unit::DealDamage(Unit*, Unit*, unsigned int) const", "Unit::DealDamage"),
        ("Spell::HandleEffects(Unit*, Item*) [clone .cold]", "Spell::HandleEffects"),
        (
            "std::_Function_handler<void (), World::Update(unsigned int)::{lambda()#3}>::_M_invoke",
            "std::_Function_handler<T>::_M_invoke"
        ),
        ("Map :: GetRespawnMapForType", "Map::GetRespawnMapForType"),
        ("[inline] WorldObject::GetMap", "WorldObject::GetMap"),
        ("(anonymous namespace)::Helper::run(int)", "(anonymous namespace)::Helper::run"),
        ("Foo::operator()(int)", "Foo::operator()"),
        ("ByteBuffer::operator<<(unsigned int)", "ByteBuffer::operator<<"),
        ("MapUpdater::<lambda_4f3c9a12>::operator()", "MapUpdater::{lambda}::operator()"),
        ("void __cdecl Map::Update(unsigned int)", "void Map::Update"),
    ])
    func normalisation(raw: String, expected: String) {
        #expect(FrameNormalizer.normalize(function: raw) == expected)
    }

    @Test func framesWithoutSymbolsUseModuleAndOffset() {
        #expect(
            FrameNormalizer.normalize(StackFrame(index: 0, module: "worldserver.exe", offset: "0001:000000000043AF01"))
                == "worldserver.exe@0001:000000000043AF01")
    }
}
