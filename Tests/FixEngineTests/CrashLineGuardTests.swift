import CrashAnalysis
import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import FixEngine

/// The guard at the crashing line, on functions written the way TrinityCore writes them: unbraced `for`/`if` chains,
/// `if (T* x = …)` declarations, in-class one-line getters, printf-style logging, return types with no "nothing".
struct CrashLineGuardTests {
    static let unitSource = """
        #include "Unit.h"

        void Unit::HandleProcs(Unit* victim, uint32 damage)
        {
            if (damage == 0)
                return;

            victim->GetMotionMaster()->Clear();
            for (Unit* controlled : victim->m_Controlled)
                if (Creature* creature = controlled->ToCreature())
                    if (CreatureAI* ai = creature->AI())
                        ai->OwnerAttackedBy(this);

            if (victim->IsAlive())
            {
                TC_LOG_DEBUG("entities.unit", "Unit::HandleProcs victim %s", victim->GetName().c_str());
                victim->GetAI()->DamageTaken(this, damage);
            }
            else if (victim->GetOwner()->IsPlayer())
                victim->GetOwner()->Kill();
        }

        uint32 Unit::Absorb(Unit* victim, uint32 damage)
        {
            uint32 absorbed = victim->GetAbsorb();
            return damage - absorbed;
        }

        """

    static func function(_ name: String, in text: String = unitSource) throws -> (SourceFunction, [String]) {
        let lines = SourceLocator.lines(of: text)
        let parts = name.components(separatedBy: "::")
        let found = try #require(
            SourceLocator(root: "/").definition(className: parts[0], method: parts[1], in: lines, file: "Unit.cpp"))
        return (found, lines)
    }

    static func line(_ text: String, in lines: [String]) throws -> Int {
        try #require(lines.firstIndex { $0.contains(text) }, "no line with \(text)")
    }

    static let printf = LogConventions(macroPrefix: "TC_LOG_", style: .printf, logger: "entities.unit")

    func guardAt(_ text: String, callee: String? = nil, function name: String = "Unit::HandleProcs") throws
        -> Result<CrashLineGuard, TemplateRefusal>
    {
        let (function, lines) = try Self.function(name)
        let line = try Self.line(text, in: lines)
        return CrashLineGuard.make(
            function: function, lines: lines,
            site: .init(line: line, callee: callee, reportedAt: "Unit.cpp:\(line + 1)"),
            groupID: "g1", logging: Self.printf)
    }

    @Test func everyPointerTheLineDereferencesIsCheckedBeforeIt() throws {
        let made = try guardAt("victim->GetMotionMaster()->Clear();").get()
        #expect(made.expressions == ["victim", "victim->GetMotionMaster()"])
        #expect(made.removeCount == 0)
        #expect(made.inserted[1] == "    if (!victim || !victim->GetMotionMaster())")
        #expect(
            made.inserted[3]
                == "        TC_LOG_ERROR(\"entities.unit\", \"Unit::HandleProcs: victim or victim->GetMotionMaster() is null where crash group g1 crashed (Unit.cpp:8 in the report); not continued\");"
        )
        #expect(made.inserted[4] == "        return;")
    }

    @Test func insideAnUnbracedLoopTheStatementBecomesABlockAndTheGuardGoesOnToTheNextElement() throws {
        let made = try guardAt("if (Creature* creature = controlled->ToCreature())").get()
        #expect(made.expressions == ["controlled"])
        #expect(made.removeCount == 3, "the if, its nested if and their statement")
        #expect(made.inserted.first == "    {")
        #expect(made.inserted.last == "    }")
        #expect(made.inserted.contains("            continue;"))
        #expect(made.inserted.contains("        if (Creature* creature = controlled->ToCreature())"))
        #expect(made.inserted.contains("                ai->OwnerAttackedBy(this);"))
    }

    @Test func aPointerTheIfAboveHasTestedIsNotCheckedAgain() throws {
        guard case .failure(let refusal) = try guardAt("if (CreatureAI* ai = creature->AI())") else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refusal.reason.contains("creature is tested for null just above"), "\(refusal.reason)")
    }

    @Test func aLineInABracedBlockIsGuardedInPlaceAndAnElseIfIsRefused() throws {
        let made = try guardAt("victim->GetAI()->DamageTaken(this, damage);").get()
        #expect(made.expressions == ["victim", "victim->GetAI()"])
        #expect(made.inserted[1] == "        if (!victim || !victim->GetAI())")
        guard case .failure(let refusal) = try guardAt("else if (victim->GetOwner()->IsPlayer())") else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refusal.reason.contains("else"))
    }

    @Test func aFunctionWhoseTypeHasNoNothingValueIsRefused() throws {
        guard
            case .failure(let refusal) = try guardAt(
                "uint32 absorbed = victim->GetAbsorb();", function: "Unit::Absorb")
        else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refusal.reason.contains("returns uint32"), "\(refusal.reason)")
    }

    @Test func aCallerGuardsTheExpressionItCalledThrough() throws {
        let made = try guardAt("victim->GetAI()->DamageTaken(this, damage);", callee: "UnitAI::DamageTaken").get()
        #expect(made.expressions == ["victim", "victim->GetAI()"])
        // A line that calls the frame above on its own object hands the guard further up.
        guard case .failure(let refusal) = try guardAt("if (victim->IsAlive())", callee: "Unit::HandleProcs") else {
            Issue.record("expected a refusal")
            return
        }
        #expect(refusal.reason.contains("does not call"))
    }

    @Test func withoutALineTheOnlyCallToTheFrameAboveIsTheSite() throws {
        let (function, lines) = try Self.function("Unit::HandleProcs")
        let finder = CrashSiteFinder(locator: SourceLocator(root: "/nonexistent"), buildHash: nil)
        let found = try finder.line(in: function, lines: lines, reportedLine: nil, callee: "MotionMaster::Clear").get()
        #expect(lines[found.line].contains("GetMotionMaster()->Clear()"))
        #expect(found.how.contains("the only call to MotionMaster::Clear"))
        guard
            case .failure(let refusal) = finder.line(
                in: function, lines: lines, reportedLine: nil, callee: "Unit::GetOwner")
        else {
            Issue.record("two calls: expected a refusal")
            return
        }
        #expect(refusal.reason.contains("and the report does not say which"), "\(refusal.reason)")
    }

    @Test func theExpressionsOfALineAreReadWithoutCallsWithArgumentsIteratorsOrThis() {
        #expect(
            CrashLineGuard.dereferenced(in: "    this->m_owner->GetMap()->Remove(unit);") == [
                "m_owner", "m_owner->GetMap()",
            ])
        #expect(CrashLineGuard.dereferenced(in: "ObjectAccessor::GetUnit(*me, guid)->Kill();").isEmpty)
        #expect(CrashLineGuard.dereferenced(in: "itr->second->Update(diff);").isEmpty)
        #expect(CrashLineGuard.dereferenced(in: CrashLineGuard.code("if (x) y = \"a->b\"; // c->d")) == [])
        #expect(
            CrashLineGuard.receiver(ofCallTo: "Map::GetVisibilityRange", in: "return GetMap()->GetVisibilityRange();")
                == .some("GetMap()"))
        #expect(CrashLineGuard.receiver(ofCallTo: "Object::GetGUID", in: "ObjectGuid g = GetGUID();") == .some(nil))
    }
}

/// The guard through the whole proposer on a small tree in TrinityCore's shapes, compiled by the real compiler, with
/// the report's line taken from its build: the statement is found again after the tree moved on.
@Suite(.timeLimit(.minutes(2)), .heavy) struct CrashLineGuardCompileTests {
    let tree = CppTree("cw-crashline")
    var root: String { tree.root }

    static let header = """
        #pragma once
        #include <cstdint>
        #include <cstdio>
        #include <vector>
        typedef std::uint32_t uint32;
        #define TC_LOG_ERROR(logger, ...) std::printf(__VA_ARGS__)
        class CreatureAI { public: void OwnerAttackedBy(class Unit*) {} };
        class Creature;
        class MotionMaster { public: void Clear() {} };
        class Unit
        {
        public:
            Creature* ToCreature();
            MotionMaster* GetMotionMaster() { return m_motion; }
            void HandleProcs(Unit* victim, uint32 damage);
            std::vector<Unit*> m_Controlled;
        private:
            MotionMaster* m_motion = nullptr;
        };
        class Creature : public Unit { public: CreatureAI* AI() { return nullptr; } };

        """

    static let source = """
        #include "Unit.h"

        Creature* Unit::ToCreature() { return nullptr; }

        void Unit::HandleProcs(Unit* victim, uint32 damage)
        {
            if (damage == 0)
                return;

            TC_LOG_ERROR("entities.unit", "Unit::HandleProcs %u", damage);
            victim->GetMotionMaster()->Clear();
            for (Unit* controlled : victim->m_Controlled)
                if (Creature* creature = controlled->ToCreature())
                    if (CreatureAI* ai = creature->AI())
                        ai->OwnerAttackedBy(this);
        }

        """

    static let file = "src/server/game/Entities/Unit/Unit.cpp"

    init() throws {
        try write(Self.header, to: "src/server/game/Entities/Unit/Unit.h")
        try write(Self.source, to: Self.file)
        try write("build/\n", to: ".gitignore")
        let compiler = try CppTree.compiler()
        try write(
            """
            [{"directory": "\(root)/build", "file": "\(root)/\(Self.file)",
              "command": "\(compiler) -std=c++17 -I\(root)/src/server/game/Entities/Unit -o Unit.o -c \(root)/\(Self.file)"}]
            """, to: "build/compile_commands.json")
        try tree.commitEverything("the report's build")
    }

    func write(_ text: String, to path: String) throws { try tree.write(text, to: path) }

    @discardableResult
    func git(_ arguments: [String]) throws -> String { try tree.git(arguments) }

    func report(line: Int, build: String) -> String {
        """
        TrinityCore rev. \(build) 2026-11-30 10:00:00 +0000 (3.3.5 branch) (Unix, RelWithDebInfo, Static)
        Program terminated with signal SIGSEGV, Segmentation fault.
        #0  0x0000556d48e636c6 in Unit::HandleProcs (this=0x1, victim=0x2, damage=5) at /home/tc/src/server/game/Entities/Unit/Unit.cpp:\(line)
        #1  0x0000556d49260b9e in Unit::DealMeleeDamage (this=0x1) at /home/tc/src/server/game/Entities/Unit/Unit.cpp:900
        """
    }

    func guardCandidate(line: Int, build: String) throws -> FixCandidate {
        let result = try FixProposerTests.analyzer().analyze(text: report(line: line, build: build))
        let candidates = FixProposer(sourceRoot: root).candidates(for: result)
        return try #require(candidates.first { $0.source == "template:crash-line-guard" })
    }

    @Test func onTheReportsBuildTheReportedLineIsGuardedAndCompiles() throws {
        let build = String(try git(["rev-parse", "HEAD"]).prefix(12))
        let candidate = try guardCandidate(line: 11, build: build)
        let diff = try #require(candidate.diff, "\(candidate.problem ?? "")")
        #expect(diff.contains("+    if (!victim || !victim->GetMotionMaster())"), "\(diff)")
        #expect(diff.contains("+        TC_LOG_ERROR(\"entities.unit\","))
        #expect(candidate.isSymptomOnly)
        #expect(candidate.compileCheck == .compiles(units: [Self.file]))
        #expect(candidate.evidence.contains { $0.contains("the tree is its build \(build)") }, "\(candidate.evidence)")
        #expect(!candidate.canBeAppliedAutomatically, "symptom-only: a person decides")
    }

    @Test func onALaterTreeTheSameStatementIsFoundWhereItMoved() throws {
        let build = String(try git(["rev-parse", "HEAD"]).prefix(12))
        // Five lines added above the function since the report's build: line 13 of the build is line 18 now.
        try write(
            Self.source.replacingOccurrences(
                of: "Creature* Unit::ToCreature() { return nullptr; }\n",
                with: "Creature* Unit::ToCreature() { return nullptr; }\n\n// one\n// two\n// three\n// four\n"),
            to: Self.file)
        try git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "later"])
        let candidate = try guardCandidate(line: 13, build: build)
        let diff = try #require(candidate.diff, "\(candidate.problem ?? "")")
        #expect(diff.contains("+        if (!controlled)"), "\(diff)")
        #expect(diff.contains("+            continue;"))
        #expect(
            candidate.evidence.contains {
                $0.contains("Unit.cpp:18, the statement at line 13 of the report's build \(build)")
            }, "\(candidate.evidence)")
        #expect(candidate.compileCheck == .compiles(units: [Self.file]))
        // A build this repository never had: the line is not trusted when it is not a dereference.
        let unknown = try guardCandidate(line: 7, build: "0123456789ab")
        #expect(unknown.diff == nil)
        #expect(unknown.problem?.contains("not a dereference") == true, "\(unknown.problem ?? "")")
    }
}
