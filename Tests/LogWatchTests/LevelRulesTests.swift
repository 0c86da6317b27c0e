import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import LogWatch

/// Levels of unprefixed lines from message shapes (`Rules/levels*.txt`): the shipped rules' examples, the shape
/// language, and the figure on real lines.
@Suite struct LevelRulesTests {
    static func shipped() throws -> LevelRules {
        var rules = LevelRules()
        let names = try FileManager.default.contentsOfDirectory(atPath: Repository.rules).filter {
            $0 == "levels.txt" || ($0.hasPrefix("levels-") && $0.hasSuffix(".txt"))
        }
        for name in names.sorted() {
            let path = "\(Repository.rules)/\(name)"
            try rules.add(try String(contentsOfFile: path, encoding: .utf8), file: name)
        }
        return rules
    }

    @Test func everyShippedExampleHasItsRulesLevel() throws {
        let rules = try Self.shipped()
        #expect(rules.count > 4_000)
        var wrong: [String] = []
        for rule in rules.rules {
            let found = rules.match(Substring(rule.example))
            let level = found?.level
            // A more specific shape may take an example, but only one written at the same level; the same shape in
            // two projects' files may differ (the later file wins, as a user's own file does).
            if level != rule.level, found?.rule.shape != rule.shape {
                wrong.append("\(rule.origin): \(rule.example) → \(level.map { "\($0)" } ?? "none")")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(10).joined(separator: "\n"))")
    }

    /// AzerothCore's own messages (`Rules/levels-azerothcore.txt`, from its `LOG_*` calls), which TrinityCore words
    /// otherwise or not at all.
    @Test func azerothCoresOwnMessagesHaveTheirLevels() throws {
        let rules = try Self.shipped()
        #expect(
            rules.match("`spell_proc` table entry for SpellId 48112 has negative value in `Chance` field")?.level
                == .error)
        #expect(
            rules.match(
                "`game_event_creature` game event id (84) is out of range compared to max event id in `game_event`")?
                .level == .error)
        #expect(
            rules.match(">> Loaded 0 level stats definitions. DB table `player_class_stats` is empty.")?.level == .error
        )
    }

    @Test func aShapeFitsTheWholeMessageWithAnythingInItsHoles() throws {
        var rules = LevelRules()
        try rules.add(
            """
            error | Spell::EffectTriggerSpell spell {} tried to trigger unknown spell {} | Spell::EffectTriggerSpell spell 1 tried to trigger unknown spell 2
            info | {} rev. {} ({} branch) | TrinityCore rev. abc (master branch)
            warn | Map {{{}}} is slow | Map {571} is slow
            """, file: "levels.txt")
        #expect(
            rules.match("Spell::EffectTriggerSpell spell 7405 tried to trigger unknown spell 58568")?.level == .error)
        #expect(rules.match("  Spell::EffectTriggerSpell spell  tried to trigger unknown spell 9  ")?.level == .error)
        // Fixed text must be where the shape has it: not a prefix of a longer message, not in the middle.
        #expect(rules.match("Map {0} is slow today") == nil)
        #expect(rules.match("x Spell::EffectTriggerSpell spell 7 tried to trigger unknown spell 8") == nil)
        #expect(rules.match("AzerothCore rev. 1234 (Playerbot branch)")?.level == .info)
        #expect(rules.match("Map {0} is slow")?.level == .warn)
        #expect(rules.match("Map 0 is slow") == nil)
    }

    @Test func theMostSpecificShapeWinsAndOfEqualOnesTheLastRead() throws {
        var rules = LevelRules()
        try rules.add(
            """
            error | Player {} not found | Player Thrall not found
            info | Player {} not found in map {} | Player Thrall not found in map 571
            """, file: "levels-shipped.txt")
        #expect(rules.match("Player Thrall not found in map 571")?.level == .info)
        #expect(rules.match("Player Thrall not found")?.level == .error)
        try rules.add("warn | Player {} not found | Player Jaina not found", file: "user/levels.txt")
        #expect(rules.match("Player Thrall not found")?.rule.origin == "user/levels.txt:1")
    }

    @Test(arguments: [
        ("error | Spell {} | ", "expected `level | shape | example`"),
        ("loud | Spell {} failed | Spell 1 failed", "unknown level loud"),
        ("error | Spell { failed | Spell { failed", "a lone `{`"),
        ("error | {} | anything", "no fixed text"),
        ("error | Spell {} failed | Spell 1 worked", "the example does not have the shape"),
    ])
    func aBrokenRuleIsNamedWithItsLine(line: String, problem: String) {
        var rules = LevelRules()
        #expect {
            try rules.add("# comment\n\(line)", file: "levels.txt")
        } throws: { error in
            "\(error)".contains("levels.txt") && "\(error)".contains("2") && "\(error)".contains(problem)
        }
    }

    @Test func theClassifierUsesShapesBeforeWordingAndNeverForPrefixedLines() throws {
        var levels = LevelRules()
        try levels.add(
            "info | Could not find {} (harmless) | Could not find x (harmless)", file: "levels.txt")
        var classifier = LineClassifier(reading: LineReading(levels: levels))
        let shaped = classifier.classify(RawLine(bytes: Array("Could not find Thrall (harmless)".utf8)))
        #expect(shaped.level == .info)
        #expect(shaped.levelIsInferred)
        let worded = classifier.classify(RawLine(bytes: Array("Could not find Thrall at all".utf8)))
        #expect(worded.level == .error)
        var prefixedClassifier = LineClassifier(reading: LineReading(levels: levels))
        let prefixed = prefixedClassifier.classify(
            RawLine(bytes: Array("2025-01-01_10:00:00 WARN  [misc] Could not find Thrall (harmless)".utf8)))
        #expect(prefixed.level == .warn)
        #expect(!prefixed.levelIsInferred)
    }

    /// The figure of the issue, on real lines: errors called errors ≥ 95 %, the rest never called problems ≥ 99 %.
    @Test func realUnprefixedLinesAreLevelledAsTheServerWroteThem() throws {
        let path = Repository.sharedFixture("levels/real-unprefixed.txt")
        let sample = try LevelSample(try String(contentsOfFile: path, encoding: .utf8), file: path)
        #expect(sample.entries.count > 250)
        let score = sample.score(LineReading(levels: try Self.shipped()))
        let misses = score.misses.map {
            "\($0.entry.origin) \($0.entry.expected) got \($0.got.map { "\($0)" } ?? "none")"
        }
        #expect(score.share(.error) >= 0.95, "\(misses)")
        #expect(score.share(.other) >= 0.99, "\(misses)")
        #expect(score.share(.warning) >= 0.9, "\(misses)")
        // The wording alone is far from it: the rules are what makes the figure.
        #expect(sample.score(.standard).share(.error) < 0.8)
    }
}
