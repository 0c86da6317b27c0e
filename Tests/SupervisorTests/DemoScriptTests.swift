import Demo
import Testing

/// The demo's story varies with its seed, and a storm of one warning reads like a real one.
@Suite struct DemoScriptTests {
    private func lines(seed: UInt64, count: Int) -> [String] {
        var script = DemoScript(seed: seed)
        return (0..<count).map { _ in script.next().text }
    }

    @Test func anotherSeedTellsAnotherStoryAndTheSameSeedTheSame() {
        #expect(lines(seed: 7, count: 200) == lines(seed: 7, count: 200))
        let first = lines(seed: 7, count: 30), second = lines(seed: 8, count: 30)
        #expect(first != second, "the start-up's numbers come from the seed too")
    }

    @Test func aBurstOfOneWarningIsNeverTheSameLineTwiceInARow() {
        let story = lines(seed: 3, count: 20_000)
        var repeats = 0
        for (previous, line) in zip(story, story.dropFirst()) where previous == line && line.contains("Warden") {
            repeats += 1
        }
        #expect(story.filter { $0.contains("failed Warden check") }.count > 20, "the story has warden storms")
        #expect(repeats == 0)
    }
}
