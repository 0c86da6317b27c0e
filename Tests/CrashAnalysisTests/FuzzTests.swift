import Testing

@testable import CrashAnalysis

/// Random and mutated inputs: the parser must always return a report, never trap, and never give a silent empty one.
@Suite struct FuzzTests {
    static let fixtures = [
        "wheaty-tc-map-update", "wheaty-ac-idle-first", "wheaty-assert", "wheaty-freeze", "gdb-core-all-threads",
        "gdb-live-assert", "gdb-signal-handler", "gdb-unmarked", "ac-boxed-assert", "cdb-analyze",
    ]

    private func checkSane(_ report: CrashReport, input: String) {
        #expect(report.rawText == input)
        let explained = !report.threads.isEmpty || report.assertion != nil || !report.problems.isEmpty
        #expect(explained, "a report with no stack, no assertion and no problem listed")
        if let index = report.crashingThreadIndex { #expect(report.threads.indices.contains(index)) }
    }

    @Test func randomBytes() throws {
        var random = SystemRandomNumberGenerator()
        let analyzer = try TestRules.analyzer()
        for _ in 0..<300 {
            let count = Int.random(in: 0..<2_000, using: &random)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            let text = String(decoding: bytes, as: UTF8.self)
            checkSane(CrashReportParser.parse(text), input: text)
            _ = analyzer.analyze(text: text)
        }
    }

    @Test func mutatedReports() throws {
        var random = SystemRandomNumberGenerator()
        let analyzer = try TestRules.analyzer()
        let alphabet: [Character] = [
            "#", "(", ")", "<", ">", ":", " ", "\n", "+", "0", "x", "\u{0}", "é", "\t", "\r\n",
        ]
        for name in Self.fixtures {
            let original = try TestRules.fixture(name)
            for _ in 0..<60 {
                var characters = Array(original)
                for _ in 0..<Int.random(in: 1...12, using: &random) where !characters.isEmpty {
                    let at = Int.random(in: 0..<characters.count, using: &random)
                    switch Int.random(in: 0..<4, using: &random) {
                    case 0: characters.remove(at: at)
                    case 1: characters.insert(alphabet.randomElement(using: &random)!, at: at)
                    case 2:
                        characters.removeSubrange(
                            at..<min(characters.count, at + Int.random(in: 1...200, using: &random)))
                    default: characters = Array(characters.prefix(at))
                    }
                }
                let text = String(characters)
                checkSane(CrashReportParser.parse(text), input: text)
                let result = analyzer.analyze(text: text)
                #expect(!result.signature.signature.isEmpty)
            }
        }
    }

    @Test func pathologicalShapes() throws {
        let analyzer = try TestRules.analyzer()
        let inputs = [
            String(repeating: "(", count: 50_000),
            "#0 " + String(repeating: "(", count: 10_000),
            String(repeating: "Call stack:\n", count: 5_000),
            String(repeating: "#0  0x1 in f (a=(((\n", count: 2_000),
            String(repeating: "0000000000000000  0000000000000000  x+1\n", count: 20_000),
            "Exception code: \nFault address:\nRevision:\nDate \n",
        ]
        for text in inputs {
            checkSane(CrashReportParser.parse(text), input: text)
            _ = analyzer.analyze(text: text)
        }
    }
}
