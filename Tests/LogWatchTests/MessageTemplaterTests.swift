import CrashwatchKit
import Foundation
import TestSupport
import Testing

@testable import LogWatch

@Suite struct MessageTemplaterTests {
    static let rulesFile = Repository.path("Rules/masking.txt")

    static func shippedRules() throws -> MaskingRules {
        var rules = MaskingRules()
        try rules.add(try String(contentsOfFile: rulesFile, encoding: .utf8), file: "masking.txt")
        return rules
    }

    @Test func everyShippedRuleMasksItsExample() throws {
        let rules = try Self.shippedRules()
        let templater = MessageTemplater(rules: rules)
        #expect(rules.rules.count >= 8)
        for rule in rules.rules {
            let example = try #require(rule.example, "rule on line \(rule.line) has no example")
            #expect(templater.template(example) == rule.expected, "masking.txt line \(rule.line) (\(rule.kind))")
        }
    }

    @Test func sameSentenceOtherValuesIsOneTemplate() throws {
        let templater = MessageTemplater(rules: try Self.shippedRules())
        #expect(
            templater.template("Spell 83470 [EffectIndex: 0] does not have triggered spell")
                == templater.template("Spell 12 [EffectIndex: 1] does not have triggered spell"))
        #expect(
            templater.template("Objective stuck for bot Durotan: Quest 176 Objective 1")
                == templater.template("Objective stuck for bot Aldor: Quest 26209 Objective 3"))
    }

    @Test func differentSentencesWithTheSameStartStayApart() throws {
        let templater = MessageTemplater(rules: try Self.shippedRules())
        let a = "SmartAIMgr::LoadSmartAIFromDB: Entry 2110 SourceType 0, Event 3, Missing Repeat flag."
        let b = "SmartAIMgr::LoadSmartAIFromDB: Entry 2110 SourceType 0, Event 3, Link Event 4 not found or invalid."
        #expect(templater.template(a) != templater.template(b))
    }

    @Test(arguments: [
        ("Map 571 grid [32,32] loaded", "Map <n> grid [<n>,<n>] loaded"),
        (
            "Table `gameobject` has gameobject (GUID: 5 Entry: 180) that has wrong spawn mask 3",
            "Table `gameobject` has gameobject (GUID: <n> Entry: <n>) that has wrong spawn mask <n>"
        ),
        ("Account 4411 (Jaina) logged in from 10.0.0.5:3724", "Account <n> (Jaina) logged in from <ip>"),
        ("deadbeef0042 checksum", "<hex> checksum"),
        ("EFFECT_0 Name: SPELL_EFFECT_DUMMY", "EFFECT_<n> Name: SPELL_EFFECT_DUMMY"),
        ("can't find it", "can't find it"),
        ("", ""),
    ])
    func maskingCases(input: String, expected: String) throws {
        #expect(MessageTemplater(rules: try Self.shippedRules()).template(input) == expected)
    }

    @Test func userRegexRule() throws {
        var rules = try Self.shippedRules()
        try rules.add("regex zone \\w+ -> zone <zone> | x", file: "user.txt")
        #expect(MessageTemplater(rules: rules).template("entered zone Elwynn") == "entered zone <zone>")
    }

    @Test func badRulesNameFileAndLine() {
        var rules = MaskingRules()
        #expect(
            throws: RuleFileError(
                file: "m.txt", line: 2,
                problem: "unknown kind numbers (expected number, hex, guid, ip, quoted, word-after, regex)")
        ) {
            try rules.add("# c\nnumbers\n", file: "m.txt")
        }
        #expect(throws: RuleFileError(file: "m.txt", line: 1, problem: "not a valid regular expression: (")) {
            try rules.add("regex ( -> x\n", file: "m.txt")
        }
    }
}

/// The values behind a template's masks, counted.
@Suite struct MaskedValuesTests {
    @Test func valuesAreReadBackFromTheMessageByTheTemplatesFixedText() {
        let values = MaskedValues.values(
            of: "Objective stuck for bot Irfan: Quest 28714 Objective 0",
            template: "Objective stuck for bot <name>: Quest <n> Objective <n>")
        #expect(values?.map(\.text) == ["Irfan", "28714", "0"])
        #expect(values?.map(\.token) == ["<name>", "<n>", "<n>"])
        // A `<` that is no mask is fixed text.
        #expect(
            MaskedValues.values(of: "size <= 12 for map 571", template: "size <= <n> for map <n>")?.map(\.text)
                == ["12", "571"])
        #expect(MaskedValues.values(of: "something else", template: "Quest <n> failed") == nil)
    }

    @Test func theMostFrequentValuesComeFirstAndTheRestAreCounted() {
        var values = MaskedValues(capacity: 2)
        for name in ["Irfan", "Xaven", "Irfan", "Damon", "Irfan", "Xaven"] {
            values.record("Objective stuck for bot \(name)"[...], template: "Objective stuck for bot <name>")
        }
        let top = values.top(1)
        #expect(top.count == 1)
        #expect(top[0].values.map(\.text) == ["Irfan"])
        #expect(top[0].values.first?.count == 3)
        #expect(top[0].others == 3, "Xaven twice, and Damon past the capacity")
    }
}
