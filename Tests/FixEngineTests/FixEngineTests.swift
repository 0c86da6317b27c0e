import CrashAnalysis
import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import FixEngine

/// A copy of the fixture source tree (shaped like TrinityCore's `src/server/game/…`) in a temporary git repository.
struct FixtureRepository {
    let root: String

    let scratch = TemporaryDirectory("cw-source")

    init(git: Bool = true) throws {
        root = scratch.path
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures/src", withExtension: nil)).path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixtures, toPath: "\(root)/src")
        if git {
            try run(["init", "-q", "-b", "main"])
            try run(["add", "."])
            try run(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "fixture"])
        }
    }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        try GitPatchApplier(root: root).git(arguments)
    }

    func read(_ file: String) throws -> String { try String(contentsOfFile: "\(root)/\(file)", encoding: .utf8) }

    /// Commits a change to `Unit::DealDamage`'s spell-mod read (what the bot guard patches), as an upstream merge
    /// would.
    func commitUpstreamChange() throws {
        let file = "src/server/game/Entities/Unit/Unit.cpp"
        let changed = try read(file).replacingOccurrences(
            of: "            damage = mod->Apply(damage);", with: "            damage = mod->Apply(damage, victim);")
        try changed.write(toFile: "\(root)/\(file)", atomically: true, encoding: .utf8)
        try run(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "upstream change"])
    }
}

@Suite struct SourceLocatorTests {
    @Test func findsAMultiLineDefinitionByName() throws {
        let repo = try FixtureRepository(git: false)
        let (function, lines) = try SourceLocator(root: repo.root).locate("Unit::DealDamage", hintFile: "Unit.cpp")
        #expect(function.file == "src/server/game/Entities/Unit/Unit.cpp")
        #expect(function.returnType == "uint32")
        #expect(
            function.parameters.map(\.name) == [
                "attacker", "victim", "damage", "cleanDamage", "damagetype", "damageSchoolMask", "spellProto",
                "durabilityLoss",
            ])
        #expect(
            function.parameters.filter(\.isPointer).map(\.name) == ["attacker", "victim", "cleanDamage", "spellProto"])
        #expect(lines[function.bodyOpenLine] == "{")
        #expect(function.bodyIndent == "    ")
    }

    @Test func defaultArgumentCommentsAndUnknownNames() throws {
        let repo = try FixtureRepository(git: false)
        let (function, _) = try SourceLocator(root: repo.root).locate("Map::AddPlayerToMap")
        #expect(function.parameters.map(\.name) == ["player", "initPlayer"])
        #expect(throws: SourceLocator.Failure.notFound(function: "Map::Nope")) {
            try SourceLocator(root: repo.root).locate("Map::Nope")
        }
        #expect(throws: SourceLocator.Failure.noSourceTree("/no/tree")) {
            try SourceLocator(root: "/no/tree").locate("Map::Update")
        }
    }
}

@Suite struct FixTemplateTests {
    @Test func botGuardSkipsOnlyTheSpellModReadSoBotsStillTakeDamage() throws {
        let repo = try FixtureRepository(git: false)
        let (function, lines) = try SourceLocator(root: repo.root).locate("Unit::DealDamage")
        let made = try FixTemplate.botGuardDiff(for: function, lines: lines, site: nil, groupID: "abc").get()
        #expect(made.edit.isSymptomOnly, "the cause is the bot login; this only skips the read")
        #expect(
            made.diff.contains(
                "+        if (!(player->GetSession() && player->GetSession()->IsBot() && !player->m_spellModTakingDamage))"
            ), "\(made.diff)")
        #expect(made.diff.contains("+            for (SpellModifier* mod : player->m_spellModTakingDamage)"))
        #expect(made.diff.contains("-        for (SpellModifier* mod : player->m_spellModTakingDamage)"))
        #expect(!made.diff.contains("return 0"), "no early return: the damage is still dealt")
        #expect(made.diff.contains(" victim->ModifyHealth(-int32(damage));"))
        // A function that reads no spell mods has nothing to skip.
        let (other, otherLines) = try SourceLocator(root: repo.root).locate("Unit::SetHealth")
        guard
            case .failure(let refusal) = FixTemplate.botGuardDiff(
                for: other, lines: otherLines, site: nil, groupID: "abc")
        else {
            Issue.record("SetHealth reads no spell mods")
            return
        }
        #expect(refusal.reason.contains("reads no player's spell mods"))
    }

    @Test func nullGuardIsSymptomOnlyAndDeferringIsRefused() throws {
        let repo = try FixtureRepository(git: false)
        let (function, _) = try SourceLocator(root: repo.root).locate("Map::AddObjectToRemoveList")
        let guardEdit = try FixTemplate.nullGuard.edit(for: function, groupID: "abc").get()
        #expect(guardEdit.isSymptomOnly)
        #expect(guardEdit.lines[1] == "    if (!obj)")
        #expect(guardEdit.lines[2] == "        return;")
        let header = SourceLocator(root: repo.root).header(for: function)
        guard
            case .failure(let refusal) = FixTemplate.deferDiff(
                for: function, lines: [], header: header, update: nil, groupID: "abc")
        else {
            Issue.record("Map::AddObjectToRemoveList is not a packet handler: no deferral")
            return
        }
        #expect(refusal.reason.contains("is not a WorldSession handler taking a WorldPacket"))
    }

    @Test(arguments: [
        ("--- a/../etc/passwd\n+++ b/../etc/passwd\n", "the patch leaves the source tree: ../etc/passwd"),
        ("--- /etc/passwd\n+++ /etc/passwd\n", "the patch names an absolute path: /etc/passwd"),
        ("diff --git a/src/x.cpp b/src/../../y\n", "the patch leaves the source tree: src/../../y"),
    ])
    func unsafePathsAreRefused(diff: String, reason: String) {
        #expect(UnifiedDiff.unsafePath(in: diff) == reason)
    }
}

@Suite struct FixProposerTests {
    static let rules = Repository.rules

    static func analyzer() throws -> CrashAnalyzer {
        var signature = SignatureRules()
        for list in SignatureRules.List.allCases {
            try signature.add(
                try String(contentsOfFile: "\(rules)/signature/\(list.fileName)", encoding: .utf8), to: list,
                file: list.fileName)
        }
        let patterns = try FileManager.default.contentsOfDirectory(atPath: "\(rules)/patterns").filter {
            $0.hasSuffix(".toml")
        }
        .map {
            try PatternLoader.load(try String(contentsOfFile: "\(rules)/patterns/\($0)", encoding: .utf8), file: $0)
        }
        var components = ComponentRules()
        try components.add(
            try String(contentsOfFile: "\(rules)/components.txt", encoding: .utf8), file: "components.txt")
        return CrashAnalyzer(rules: signature, patterns: patterns, components: components)
    }

    static let dealDamageCrash = """
        Program terminated with signal SIGSEGV, Segmentation fault.
        #0  0x0000556d48e636c6 in Unit::DealDamage (attacker=0x1, victim=0x2, damage=5) at /home/tc/src/server/game/Entities/Unit/Unit.cpp:16
        #1  0x0000556d49260b9e in World::ProcessDelayedDamages (this=0x3) at /home/tc/src/server/game/World/World.cpp:2410
        #2  0x0000556d4926a000 in PlayerbotAI::UpdateAI (this=0x4, elapsed=50) at /home/tc/src/modules/Playerbot/AI/PlayerbotAI.cpp:300
        """

    /// The same stack on a server without bots: no bot frame, no bot log lines.
    static let plainDealDamageCrash = """
        Program terminated with signal SIGSEGV, Segmentation fault.
        #0  0x0000556d48e636c6 in Unit::DealDamage (attacker=0x1, victim=0x2, damage=5) at /home/tc/src/server/game/Entities/Unit/Unit.cpp:16
        #1  0x0000556d49260b9e in Unit::AttackerStateUpdate (this=0x3) at /home/tc/src/server/game/Entities/Unit/Unit.cpp:2410
        """

    @Test func aPlainDealDamageCrashOnAServerWithoutBotsIsNotTheBotSpellModCrash() throws {
        let result = try Self.analyzer().analyze(text: Self.plainDealDamageCrash)
        #expect(!result.diagnosis.patterns.contains { $0.id == "unit-spellmod-dealdamage" })
        #expect(!result.diagnosis.isBotRelated)
        let repo = try FixtureRepository(git: false)
        let candidates = FixProposer(sourceRoot: repo.root).candidates(for: result)
        #expect(!candidates.contains { $0.source == "template:bot-guard" })
        // With a bot frame below it, the same crash is the bot pattern, and says why.
        let bot = try Self.analyzer().analyze(text: Self.dealDamageCrash)
        let match = try #require(bot.diagnosis.patterns.first { $0.id == "unit-spellmod-dealdamage" })
        #expect(match.evidence.contains("bot involvement"), "\(match.evidence)")
    }

    @Test func rankedCandidatesWithEvidence() throws {
        let repo = try FixtureRepository(git: false)
        let result = try Self.analyzer().analyze(text: Self.dealDamageCrash)
        let candidates = FixProposer(sourceRoot: repo.root).candidates(for: result, groupSize: 3)
        #expect(
            candidates.map(\.source) == [
                "template:bot-guard", "template:debug-logging", "template:bot-login-setup", "template:crash-line-guard",
            ])
        // DealDamage returns the damage dealt: an early return there would have to invent a number.
        #expect(candidates.last?.problem?.contains("returns uint32") == true, "\(candidates.last?.problem ?? "")")
        // This tree has no function that sets the spell mods up, so there is no login setup to name.
        #expect(
            candidates[2].problem?.contains("no member function without arguments sets m_spellModTakingDamage") == true,
            "\(candidates[2].problem ?? "")")
        let top = try #require(candidates.first)
        #expect(top.filesTouched == ["src/server/game/Entities/Unit/Unit.cpp"])
        #expect(top.isSymptomOnly && !top.canBeAppliedAutomatically)
        #expect(candidates[1].isEvidenceOnly && !candidates[1].canBeAppliedAutomatically)
        #expect(top.evidence.contains("group \(result.signature.groupKey), 3 occurrence(s)"))
        #expect(top.evidence.contains { $0.hasPrefix("pattern unit-spellmod-dealdamage") })
    }

    @Test func aFixAlreadyInTheTreeIsNotOfferedAgain() throws {
        let repo = try FixtureRepository()
        let result = try Self.analyzer().analyze(text: Self.dealDamageCrash)
        let first = try #require(FixProposer(sourceRoot: repo.root).candidates(for: result).first)
        _ = try GitPatchApplier(root: repo.root).apply(diff: try #require(first.diff), groupID: "g", message: "fix")
        let again = FixProposer(sourceRoot: repo.root).candidates(for: result)
        let botGuard = try #require(again.first { $0.source == "template:bot-guard" })
        #expect(botGuard.diff == nil, "two identical guards in one function is what auto mode did before")
        #expect(botGuard.problem?.hasPrefix("already applied: Unit::DealDamage has this bot-guard") == true)
    }

    @Test func anAssertWithoutAStackIsLocatedByTheBareFunctionItNames() throws {
        let repo = try FixtureRepository(git: false)
        let result = try Self.analyzer().analyze(
            text: "/src/server/game/Entities/Unit/Unit.cpp:16 in DealDamage ASSERTION FAILED:\n  victim\n")
        #expect(result.report.crashingThread == nil)
        let candidates = FixProposer(sourceRoot: repo.root).candidates(for: result)
        let logging = try #require(candidates.first { $0.source == "template:debug-logging" })
        #expect(logging.title == "debug-logging in Unit::DealDamage", "\(logging.problem ?? "")")
        #expect(logging.filesTouched == ["src/server/game/Entities/Unit/Unit.cpp"])
    }

    @Test func aMissingSourceTreeIsSaidNotGuessed() throws {
        let result = try Self.analyzer().analyze(text: Self.dealDamageCrash)
        let candidates = FixProposer(sourceRoot: "/no/tree").candidates(for: result)
        #expect(candidates.allSatisfy { $0.diff == nil })
        #expect(candidates.first?.problem?.contains("source tree /no/tree does not exist") == true)
    }

    @Test func reportsFolderGetsPatchesAndMarkdown() throws {
        let repo = try FixtureRepository(git: false)
        let result = try Self.analyzer().analyze(text: Self.dealDamageCrash)
        let candidates = FixProposer(sourceRoot: repo.root).candidates(for: result)
        let folder = "\(repo.root)/../reports-\(UUID().uuidString)"
        let written = try FixReportWriter.write(
            candidates, signature: result.signature.signature, groupID: result.signature.groupKey, to: folder)
        #expect(written.filter { $0.hasSuffix(".patch") }.count == 2)
        #expect(
            try String(contentsOfFile: written.last!, encoding: .utf8).contains("## 1. bot-guard in Unit::DealDamage"))
    }
}

@Suite(.serialized) struct GitPatchApplierTests {
    private func botGuardDiff(_ repo: FixtureRepository) throws -> String {
        let (function, lines) = try SourceLocator(root: repo.root).locate("Unit::DealDamage")
        return try FixTemplate.botGuardDiff(for: function, lines: lines, site: nil, groupID: "abc").get().diff
    }

    @Test func approvedPatchIsCommittedOnItsOwnBranch() throws {
        let repo = try FixtureRepository()
        let applied = try GitPatchApplier(root: repo.root).apply(
            diff: try botGuardDiff(repo), groupID: "0123456789abcdef",
            message: "crashwatch: bot guard for SIGSEGV | Unit::DealDamage")
        #expect(applied.branch == "crashwatch/0123456789ab")
        #expect(try repo.run(["rev-parse", "--abbrev-ref", "HEAD"]).hasPrefix("crashwatch/0123456789ab"))
        #expect(try repo.run(["log", "-1", "--format=%s"]).hasPrefix("crashwatch: bot guard"))
        #expect(
            try repo.read("src/server/game/Entities/Unit/Unit.cpp").contains(
                "// crashwatch: bot-guard for crash group abc"))
        #expect(try GitPatchApplier(root: repo.root).dirtyFiles().isEmpty)
    }

    @Test func aPatchThatDoesNotApplyLeavesTheTreeAsItWas() throws {
        let repo = try FixtureRepository()
        let diff = try botGuardDiff(repo)
        // Someone changed the function meanwhile, so the patch no longer applies.
        try repo.commitUpstreamChange()
        let before = try repo.run(["rev-parse", "HEAD"])
        #expect(throws: GitPatchApplier.Failure.self) {
            try GitPatchApplier(root: repo.root).apply(diff: diff, groupID: "abc", message: "x")
        }
        #expect(try repo.run(["rev-parse", "HEAD"]) == before)
        #expect(try repo.run(["rev-parse", "--abbrev-ref", "HEAD"]).hasPrefix("main"))
        #expect(try GitPatchApplier(root: repo.root).dirtyFiles().isEmpty)
    }

    @Test func aSecondFixOfTheSameGroupKeepsTheFirstBranch() throws {
        let repo = try FixtureRepository()
        let applier = GitPatchApplier(root: repo.root)
        let first = try applier.apply(diff: try botGuardDiff(repo), groupID: "0123456789abcdef", message: "first")
        try repo.run(["checkout", "-q", "main"])
        let second = try applier.apply(diff: try botGuardDiff(repo), groupID: "0123456789abcdef", message: "second")
        #expect(first.branch == "crashwatch/0123456789ab")
        #expect(second.branch == "crashwatch/0123456789ab-2")
        #expect(
            try repo.run(["rev-parse", first.branch]).hasPrefix(first.commit), "the first fix is still on its branch")
    }

    @Test func aTreeWithWindowsLineEndingsGetsACorrectPatch() throws {
        let repo = try FixtureRepository()
        let file = "src/server/game/Entities/Unit/Unit.cpp"
        let crlf = try repo.read(file).replacingOccurrences(of: "\n", with: "\r\n")
        try crlf.write(toFile: "\(repo.root)/\(file)", atomically: true, encoding: .utf8)
        try repo.run([
            "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "CRLF, as Git for Windows checks out",
        ])
        let (function, lines) = try SourceLocator(root: repo.root).locate("Unit::DealDamage", hintFile: "Unit.cpp")
        #expect(lines.count > 10, "a CRLF file is many lines, not one")
        #expect(!lines.contains { $0.hasSuffix("\r") })
        #expect(lines[function.bodyOpenLine] == "{")
        let result = try FixProposerTests.analyzer().analyze(text: FixProposerTests.dealDamageCrash)
        let top = try #require(FixProposer(sourceRoot: repo.root).candidates(for: result).first)
        let diff = try #require(top.diff)
        try GitPatchApplier(root: repo.root).check(diff: diff)
        _ = try GitPatchApplier(root: repo.root).apply(diff: diff, groupID: "0123456789abcdef", message: "fix")
        let patched = try repo.read(file)
        #expect(patched.contains("// crashwatch: bot-guard"))
        #expect(
            !patched.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line, old and new, ends in CRLF")
    }

    @Test func anApplyStoppedHalfWayIsPutBackOnTheNextStart() throws {
        let repo = try FixtureRepository()
        let applier = GitPatchApplier(root: repo.root)
        let base = try applier.headCommit()
        // As if crashwatch was killed after `git apply --index` and before the commit.
        ApplyJournal(originalBranch: "main", branch: "crashwatch/0123456789ab", base: base).write(
            in: try applier.gitDirectory())
        try repo.run(["checkout", "-q", "-b", "crashwatch/0123456789ab"])
        try "half-applied\n".write(toFile: "\(repo.root)/src/notes.txt", atomically: true, encoding: .utf8)
        try repo.run(["add", "."])
        let said = try #require(applier.recoverInterruptedApply())
        #expect(said.contains("undone: back on main"))
        #expect(try repo.run(["rev-parse", "--abbrev-ref", "HEAD"]) == "main\n")
        #expect(try applier.dirtyFiles().isEmpty)
        #expect(try repo.run(["branch", "--list", "crashwatch/*"]).isEmpty)
        #expect(applier.recoverInterruptedApply() == nil, "the journal is gone")
    }

    @Test func theFixCommitIsMadeAwayFromTheUsersIndexAndHooks() throws {
        let repo = try FixtureRepository()
        // The window the issue found: a pre-commit hook that sleeps, and a TERM meanwhile. The commit is now made
        // in an index of crashwatch's own (commit-tree runs no hook), and HEAD moves last, in one checkout.
        let hook = "\(repo.root)/.git/hooks/pre-commit"
        try FileManager.default.createDirectory(
            atPath: (hook as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "#!/bin/sh\ntouch \"$(git rev-parse --git-dir)/hook-ran\"\nsleep 30\nexit 1\n".write(
            toFile: hook, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: hook)
        let applied = try GitPatchApplier(root: repo.root).apply(
            diff: try botGuardDiff(repo), groupID: "0123456789abcdef", message: "fix")
        #expect(!FileManager.default.fileExists(atPath: "\(repo.root)/.git/hook-ran"))
        #expect(try repo.run(["rev-parse", "HEAD"]).hasPrefix(applied.commit))
        #expect(try GitPatchApplier(root: repo.root).dirtyFiles().isEmpty, "index and working tree match the commit")
        #expect(try repo.read("src/server/game/Entities/Unit/Unit.cpp").contains("crashwatch: bot-guard"))
    }

    @Test func anApplyStoppedAfterItsCommitKeepsTheFix() throws {
        let repo = try FixtureRepository()
        let applier = GitPatchApplier(root: repo.root)
        let base = try applier.headCommit()
        ApplyJournal(originalBranch: "main", branch: "crashwatch/abc", base: base).write(in: try applier.gitDirectory())
        try repo.run(["checkout", "-q", "-b", "crashwatch/abc"])
        try "fixed\n".write(toFile: "\(repo.root)/src/notes.txt", atomically: true, encoding: .utf8)
        try repo.run(["add", "."])
        try repo.run(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "fix"])
        #expect(applier.recoverInterruptedApply()?.contains("is kept") == true)
        #expect(try repo.run(["rev-parse", "--abbrev-ref", "HEAD"]) == "crashwatch/abc\n")
        // A normal apply leaves no journal behind.
        try repo.run(["checkout", "-q", "main"])
        _ = try applier.apply(diff: try botGuardDiff(repo), groupID: "0123456789abcdef", message: "x")
        #expect(ApplyJournal.read(in: try applier.gitDirectory()) == nil)
    }

    @Test func theFixIsAuthoredByTheUsersOwnIdentityWithACrashGroupTrailer() throws {
        let repo = try FixtureRepository()
        try repo.run(["config", "user.name", "Ada Lovelace"])
        try repo.run(["config", "user.email", "ada@example.org"])
        let candidate = FixCandidate(
            source: "template:bot-guard", title: "bot-guard in Unit::DealDamage", diff: try botGuardDiff(repo),
            file: nil, explanation: "Skips bots.", isSymptomOnly: false, confidence: 0.5, evidence: ["pattern x"])
        let applied = try GitPatchApplier(root: repo.root).apply(
            diff: candidate.diff!, groupID: "0123456789abcdef",
            message: candidate.commitMessage(signature: "SIGSEGV | Unit::DealDamage", groupKey: "0123456789abcdef"))
        #expect(applied.identityNote == nil)
        #expect(try repo.run(["log", "-1", "--format=%an <%ae>"]) == "Ada Lovelace <ada@example.org>\n")
        #expect(
            try repo.run(["log", "-1", "--format=%(trailers:key=Crash-Group,valueonly)"]).hasPrefix("0123456789abcdef"))
    }

    @Test func aGroupsFixIsRevertedWithANewCommitOnlyOnTheBranchThatHasIt() throws {
        let repo = try FixtureRepository()
        try repo.run(["config", "user.name", "Ada Lovelace"])
        try repo.run(["config", "user.email", "ada@example.org"])
        let applier = GitPatchApplier(root: repo.root)
        let key = "0123456789abcdef"
        let candidate = FixCandidate(
            source: "template:bot-guard", title: "bot-guard in Unit::DealDamage", diff: try botGuardDiff(repo),
            file: nil, explanation: "Skips bots.", isSymptomOnly: false, confidence: 0.5, evidence: [])
        let applied = try applier.apply(
            diff: candidate.diff!, groupID: key,
            message: candidate.commitMessage(signature: "SIGSEGV | Unit::DealDamage", groupKey: key))
        let patched = try repo.read("src/server/game/Entities/Unit/Unit.cpp")
        // On main, the fix is not there to revert: where it is is said, and nothing changes.
        try repo.run(["checkout", "-q", "main"])
        #expect(throws: GitPatchApplier.Failure.self) { try applier.revertFix(groupKey: key) }
        do {
            _ = try applier.revertFix(groupKey: key)
        } catch {
            #expect(error.description.contains("is on \(applied.branch), not on main"), "\(error)")
        }
        try repo.run(["checkout", "-q", applied.branch])
        let said = try applier.revertFix(groupKey: key)
        #expect(said.hasPrefix("reverted \(applied.commit.prefix(12))"), "\(said)")
        #expect(try repo.read("src/server/game/Entities/Unit/Unit.cpp") != patched)
        #expect(try repo.run(["log", "-1", "--format=%an %s"]).hasPrefix("Ada Lovelace Revert"))
        #expect(try repo.run(["rev-list", "--count", "HEAD"]) == "3\n", "the fix stays in history")
        do {
            _ = try applier.revertFix(groupKey: key)
            Issue.record("a second revert must say it is done already")
        } catch {
            #expect(error.description.contains("is reverted already"), "\(error)")
        }
    }

    @Test func theStashMadeBeforeAFixIsFoundWithItsBranch() throws {
        let repo = try FixtureRepository()
        let applier = GitPatchApplier(root: repo.root)
        try "// my work in progress\n".write(
            toFile: "\(repo.root)/src/wip.h", atomically: true, encoding: .utf8)
        let applied = try applier.stashAndApply(
            diff: try botGuardDiff(repo), groupID: "0123456789abcdef", message: "fix")
        #expect(applied.originalBranch == "main")
        #expect(applier.currentBranch() == applied.branch)
        let stash = try #require(applier.crashwatchStash())
        #expect(stash.branch == "main")
        #expect(stash.ref == "stash@{0}")
        try repo.run(["checkout", "-q", "main"])
        try repo.run(["stash", "pop", stash.ref])
        #expect(FileManager.default.fileExists(atPath: "\(repo.root)/src/wip.h"))
        #expect(applier.crashwatchStash() == nil)
    }

    @Test func aSecondFixApprovedOnTheGroupsBranchIsOneMoreCommitOnIt() throws {
        let repo = try FixtureRepository()
        let applier = GitPatchApplier(root: repo.root)
        let first = try applier.apply(diff: try botGuardDiff(repo), groupID: "0123456789abcdef", message: "first")
        // Still on crashwatch/0123456789ab; a different change for the same crash.
        let file = "src/server/game/Entities/Unit/Unit.cpp"
        let lines = try repo.read(file).components(separatedBy: "\n").dropLast()
        let diff = UnifiedDiff.insertion(
            file: file, lines: Array(lines), after: 0, inserted: ["// second fix for the same crash"])
        let second = try applier.apply(diff: diff, groupID: "0123456789abcdef", message: "second")
        #expect(second.branch == first.branch, "the branch is added to, not reset and not duplicated")
        #expect(try repo.run(["rev-parse", "\(second.commit)^"]).hasPrefix(first.commit))
        #expect(try repo.run(["rev-parse", "--abbrev-ref", "HEAD"]) == "\(first.branch)\n")
        #expect(try repo.read(file).contains("// second fix for the same crash"))
        #expect(try applier.dirtyFiles().isEmpty)
    }

    @Test func aFailedApplyAfterStashingPutsTheUsersEditsBack() throws {
        let repo = try FixtureRepository()
        let diff = try botGuardDiff(repo)
        // Someone changed the function meanwhile, so the patch no longer applies.
        try repo.commitUpstreamChange()
        try "my local edit\n".write(toFile: "\(repo.root)/src/notes.txt", atomically: true, encoding: .utf8)
        do {
            _ = try GitPatchApplier(root: repo.root).stashAndApply(diff: diff, groupID: "abc", message: "x")
            Issue.record("the patch must not apply")
        } catch {
            #expect(error.kind == .doesNotApply)
            #expect(error.description.contains("your uncommitted changes were put back"))
        }
        #expect(try repo.read("src/notes.txt") == "my local edit\n", "the edit is back in the tree")
        #expect(try repo.run(["stash", "list"]).isEmpty, "and not left in a stash")
    }

    @Test func unsafePathsAndDirtyTreesAreRefused() throws {
        let repo = try FixtureRepository()
        let applier = GitPatchApplier(root: repo.root)
        #expect(throws: GitPatchApplier.Failure(kind: .unsafePath, detail: "the patch leaves the source tree: ../x")) {
            try applier.apply(diff: "--- a/../x\n+++ b/../x\n@@ -1 +1 @@\n-a\n+b\n", groupID: "abc", message: "x")
        }
        try "local edit\n".write(toFile: "\(repo.root)/src/notes.txt", atomically: true, encoding: .utf8)
        let diff = try botGuardDiff(repo)
        do {
            _ = try applier.apply(diff: diff, groupID: "abc", message: "x")
            Issue.record("a dirty tree must be reported")
        } catch {
            #expect(error.kind == .dirtyTree)
            #expect(error.description.contains("stash them or cancel"))
        }
        try applier.stash()
        #expect(try applier.dirtyFiles().isEmpty)
        _ = try applier.apply(diff: try botGuardDiff(repo), groupID: "abc", message: "x")
    }
}

@Suite struct LockOrderingTests {
    @Test func twoLocksBecomeOneScopedLock() throws {
        let repo = try FixtureRepository()
        let (function, lines) = try SourceLocator(root: repo.root).locate("WorldSession::HandleBotLoginCharacter")
        let made = try FixTemplate.lockOrderingDiff(for: function, lines: lines, groupID: "abc").get()
        #expect(made.diff.contains("-    std::lock_guard<std::recursive_mutex> sessionLock(_sessionMutex);"))
        #expect(made.diff.contains("-    std::lock_guard<std::mutex> worldLock(sWorld->GetLoginMutex());"))
        #expect(made.diff.contains("+    std::scoped_lock sessionLock(_sessionMutex, sWorld->GetLoginMutex());"))
        try GitPatchApplier(root: repo.root).check(diff: made.diff)
    }

    @Test func aSingleLockIsLeftToAPerson() throws {
        let repo = try FixtureRepository(git: false)
        let (function, lines) = try SourceLocator(root: repo.root).locate("WorldSession::KickPlayer")
        guard case .failure(let refusal) = FixTemplate.lockOrderingDiff(for: function, lines: lines, groupID: "abc")
        else {
            Issue.record("no locks: no diff")
            return
        }
        #expect(refusal.reason.contains("takes 0 lock(s) itself"))
    }
}

@Suite struct DeferTemplateTests {
    @Test func aPacketHandlerIsKeptForTheNextUpdateNotQueuedIntoTheOneBeingDrained() throws {
        let repo = try FixtureRepository()
        let locator = SourceLocator(root: repo.root)
        let (function, lines) = try locator.locate("WorldSession::HandleMoveTeleportAck")
        let made = try FixTemplate.deferDiff(
            for: function, lines: lines, header: locator.header(for: function),
            update: try locator.locate("WorldSession::Update"), groupID: "abc"
        ).get()
        // The handler and Update are in one file here: one section, two hunks.
        #expect(
            UnifiedDiff.touchedFiles(made.diff) == [
                "src/server/game/Server/WorldSession.h", "src/server/game/Server/WorldSession.cpp",
            ])
        #expect(made.diff.components(separatedBy: "\n@@ ").count == 4, "\(made.diff)")
        #expect(
            made.diff.contains(
                "+        std::vector<WorldPacket> _crashwatchDeferredHandleMoveTeleportAck; // crashwatch: defer-to-next-update"
            ))
        #expect(made.diff.contains("+        _crashwatchDeferredHandleMoveTeleportAck.push_back(recvData);"))
        #expect(!made.diff.contains("QueuePacket"), "Update drains the queue: a re-queued packet would not wait")
        #expect(
            made.diff.contains("+    if (!_crashwatchDeferredHandleMoveTeleportAck.empty() && updater.ProcessUnsafe())")
        )
        #expect(made.diff.contains("+                HandleMoveTeleportAck(deferredPacket);"))
        #expect(!made.edit.isSymptomOnly)
        try GitPatchApplier(root: repo.root).check(diff: made.diff)
        let applied = try GitPatchApplier(root: repo.root).apply(diff: made.diff, groupID: "abcdef", message: "defer")
        #expect(applied.branch == "crashwatch/abcdef")
    }

    @Test func otherFunctionsAreNotDeferredBlindly() throws {
        let repo = try FixtureRepository(git: false)
        let locator = SourceLocator(root: repo.root)
        let (function, lines) = try locator.locate("Unit::DealDamage")
        guard
            case .failure(let refusal) = FixTemplate.deferDiff(
                for: function, lines: lines, header: locator.header(for: function), update: nil, groupID: "abc")
        else {
            Issue.record("DealDamage is not a packet handler")
            return
        }
        #expect(refusal.reason.contains("is not a WorldSession handler taking a WorldPacket"))
    }

    @Test func theTeleportAckPatternGetsADeferral() throws {
        let repo = try FixtureRepository(git: false)
        let crash = """
            Program terminated with signal SIGSEGV, Segmentation fault.
            #0  0x0000556d48e63000 in Player::TeleportTo (this=0x1, mapid=0) at /src/server/game/Entities/Player/Player.cpp:1520
            #1  0x0000556d48e64000 in WorldSession::HandleMoveTeleportAck (this=0x2, recvData=...) at /src/server/game/Handlers/MovementHandler.cpp:310
            #2  0x0000556d48e65000 in DeathRecoveryManager::Update (this=0x3, diff=50) at /src/modules/Playerbot/Lifecycle/DeathRecoveryManager.cpp:88
            """
        let result = try FixProposerTests.analyzer().analyze(text: crash)
        #expect(result.diagnosis.patterns.first?.id == "spell-teleport-ack")
        let candidates = FixProposer(sourceRoot: repo.root).candidates(for: result)
        #expect(candidates.first?.source == "template:defer-to-next-update")
        #expect(candidates.first?.diff != nil)
    }
}
