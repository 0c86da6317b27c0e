import CrashwatchKit
import Foundation
import Testing

@testable import LogWatch

/// Searching a whole file through its index, block by block, as `/`, `n`/`N`, `e`/`E`, `w`/`W` do past memory.
@Suite struct FileSearchTests {
    let scratch = TemporaryDirectory("cw-filesearch")

    /// 50 lines over blocks of 4: errors at 7 and 41, a Deadlock at 3 and 45, the rest info.
    private func makeSearch() throws -> (FileSearch, [String]) {
        let lines = (1...50).map { n -> String in
            switch n {
            case 3, 45: "2025-10-31_11:14:33 ERROR [sql.sql] Deadlock found when trying to get lock (line \(n))"
            case 7, 41: "2025-10-31_11:14:33 ERROR [misc] Map::Update failed (line \(n))"
            case 20: "2025-10-31_11:14:33 WARN  [misc] player deadlock suspected (line \(n))"
            default: "2025-10-31_11:14:33 INFO  [server] line \(n)"
            }
        }
        let path = scratch.file("Server.log")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return (FileSearch(index: try SparseLineIndex.build(path: path, upTo: .max, stride: 4)), lines)
    }

    private func text(_ pattern: String) throws -> FileSearch.Query { .text(try FileSearch.TextPattern(pattern)) }

    @Test func findsTheNextAndPreviousMatchAcrossBlocks() throws {
        let (search, _) = try makeSearch()
        #expect(try search.find(try text("Deadlock"), after: 0, direction: .forward) == 3)
        #expect(try search.find(try text("Deadlock"), after: 3, direction: .forward) == 45)
        #expect(try search.find(try text("Deadlock"), after: 45, direction: .forward) == nil)
        #expect(try search.find(try text("Deadlock"), after: 45, direction: .backward) == 3)
        #expect(try search.find(try text("Deadlock"), after: 51, direction: .backward) == 45)
        // Lowercase ignores case (smart case), as in the panes.
        #expect(try search.find(try text("deadlock"), after: 3, direction: .forward) == 20)
    }

    @Test func regexesWithAndWithoutRequiredTextAndLevels() throws {
        let (search, lines) = try makeSearch()
        #expect(try search.find(try text("Map::Update f.iled"), after: 7, direction: .forward) == 41)
        #expect(try search.find(try text("line (4|9)$"), after: 0, direction: .forward) == 4)
        #expect(try search.find(.levels([.error, .fatal]), after: 7, direction: .forward) == 41)
        #expect(try search.find(.levels([.warn]), after: 50, direction: .backward) == 20)
        // The count is grep -c's, for every kind of pattern.
        for pattern in [
            "Deadlock", "deadlock", "line 1", "Map::Update f.iled", "line [0-9]+\\)$", "ERROR|WARN", "[0-9]{2}\\)",
            "^.{60,}$", "(deadlock|map::update)", "Deadlock|suspected", "line [0-9]{1,2}\\)",
        ] {
            let regex = try NSRegularExpression(
                pattern: pattern, options: pattern == pattern.lowercased() ? [.caseInsensitive] : [])
            let expected = lines.filter { regex.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }
            #expect(try search.countMatchingLines(try text(pattern)) == expected.count, "\(pattern)")
        }
    }

    @Test(arguments: [
        ("Player.*logged out", "logged out"), ("WARN +\\[warden\\]", "warden"), ("(foo)?barbaz", "barbaz"),
        ("colou?r matters", "r matters"), ("a|bcdef", nil), ("[abc]+", nil),
    ])
    func theRequiredTextOfARegex(pattern: String, required: String?) {
        #expect(FileSearch.TextPattern.requiredLiteral(of: pattern) == required)
    }

    /// A counted quantifier's numbers are no text of the line (`[0-9]{5} ms` once required `5} ms` and found nothing);
    /// an alternation needs one text per branch.
    @Test(arguments: [
        ("[0-9]{5} ms", [" ms"]), ("^.{300,}$", nil), ("(deadlock|freeze)", ["deadlock", "freeze"]),
        ("(?:World Thread hangs|Deadlock found)", ["World Thread hangs", "Deadlock found"]),
        ("Deadlock|World Thread", ["Deadlock", "World Thread"]), ("(ab|cdef)", nil), ("(foo|bar)baz", nil),
        ("x{2,3}yzw", ["yzw"]),
    ])
    func theTextsOneOfWhichEveryMatchHolds(pattern: String, required: [String]?) {
        #expect(FileSearch.TextPattern.requiredLiterals(of: pattern) == required)
    }

    @Test func aSearchStopsWhenAsked() throws {
        let (search, _) = try makeSearch()
        #expect(throws: FileSearch.Cancelled.self) {
            try search.find(try text("nowhere"), after: 0, direction: .forward) { $0 > 0.2 }
        }
    }
}
