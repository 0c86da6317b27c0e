import Testing

@testable import LogWatch

@Suite struct RunChangeTests {
    static func run(_ lines: [(String, String)]) -> RunSummary {
        var run = RunSummary()
        for (number, (text, template)) in lines.enumerated() {
            run.add(text[...], template: template, number: number + 1)
        }
        return run
    }

    @Test func newGoneMoreAndFewerInThatOrderMostLinesFirst() {
        let last = Self.run([
            ("Table a has GUID 1", "Table a has GUID <n>"), ("Table a has GUID 2", "Table a has GUID <n>"),
            ("Spell 3 gone", "Spell <n> gone"), ("Quest 4 odd", "Quest <n> odd"),
            ("Quest 5 odd", "Quest <n> odd"), ("Quest 6 odd", "Quest <n> odd"),
        ])
        let now = Self.run([
            ("Table a has GUID 7", "Table a has GUID <n>"), ("Table a has GUID 8", "Table a has GUID <n>"),
            ("Table a has GUID 9", "Table a has GUID <n>"), ("Quest 10 odd", "Quest <n> odd"),
            ("Item 11 new", "Item <n> new"), ("Loot 12 new", "Loot <n> new"), ("Loot 13 new", "Loot <n> new"),
        ])
        let changes = RunChange.between(last, now)
        #expect(changes.map(\.kind) == [.new, .new, .gone, .more, .fewer])
        #expect(
            changes.map(\.template) == [
                "Loot <n> new", "Item <n> new", "Spell <n> gone", "Table a has GUID <n>", "Quest <n> odd",
            ])
        #expect(changes[0].firstLine == 6 && changes[0].example == "Loot 12 new" && changes[0].now == 2)
        #expect(changes[2].firstLine == nil && changes[2].before == 1)
        #expect(changes[4].before == 3 && changes[4].now == 1)
        #expect(RunChange.between(now, now).isEmpty)
    }

    @Test func theDigestTellsTheSameLinesFromOthers() {
        let one = Self.run([("a", "a"), ("b", "b")])
        #expect(one.digest == Self.run([("a", "a"), ("b", "b")]).digest)
        #expect(one.digest != Self.run([("ab", "ab")]).digest, "line ends count")
        #expect(one.digest != Self.run([("a", "a"), ("c", "c")]).digest)
    }
}
