import Testing

@testable import TerminalUI

@Suite struct CellGridTests {
    @Test func writesAndClipsAtTheEdge() {
        var grid = CellGrid(size: Size(width: 8, height: 2))
        let used = grid.write("crashwatch", at: Point(x: 2, y: 0), role: .error)
        #expect(used == 6)
        #expect(grid.textLines == ["  crashw", ""])
        #expect(grid[2, 0].role == .error)
    }

    @Test func bidiControlsAreDrawnAsTheirCode() {
        var grid = CellGrid(size: Size(width: 20, height: 1))
        let written = grid.write("a\u{202E}b", at: Point(x: 0, y: 0), role: .text)
        #expect(written == 10)
        #expect(grid.textLines == ["a<U+202E>b"])
    }

    @Test func maxWidthLimitsTheWrite() {
        var grid = CellGrid(size: Size(width: 10, height: 1))
        grid.write("abcdef", at: Point(x: 0, y: 0), role: .text, maxWidth: 3)
        #expect(grid.textLines == ["abc"])
    }

    @Test func wideCharactersTakeTwoCellsAndAreNeverSplit() {
        var grid = CellGrid(size: Size(width: 5, height: 1))
        let used = grid.write("完了了", at: Point(x: 0, y: 0), role: .text)
        #expect(used == 5)
        #expect(grid.textLines == ["完了"])
        #expect(grid[1, 0].isContinuation)
        #expect(grid[4, 0].character == " ")
    }

    @Test func combiningMarksStayWithTheirBase() {
        var grid = CellGrid(size: Size(width: 4, height: 1))
        grid.write("e\u{301}x", at: Point(x: 0, y: 0), role: .text)
        #expect(grid.textLines == ["e\u{301}x"])
        #expect(grid[1, 0].character == "x")
    }

    @Test func writesOutsideTheGridAreIgnored() {
        var grid = CellGrid(size: Size(width: 3, height: 1))
        #expect(grid.write("x", at: Point(x: 0, y: 5), role: .text) == 0)
        #expect(grid.write("x", at: Point(x: 9, y: 0), role: .text) == 0)
        grid.fill(Rect(x: -2, y: -2, width: 10, height: 10), role: .statusBar)
        #expect(grid[0, 0].role == .statusBar)
    }

    @Test func highlightRolesPerCharacter() {
        var grid = CellGrid(size: Size(width: 6, height: 1))
        grid.write("abcdef", at: Point(x: 0, y: 0), role: .text) { (2..<4).contains($0) ? .searchMatch : nil }
        #expect((0..<6).map { grid[$0, 0].role } == [.text, .text, .searchMatch, .searchMatch, .text, .text])
    }

    @Test func displayWidths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("完了") == 4)
        #expect(DisplayWidth.of("🔥") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
    }

    @Test func sizeParsing() {
        #expect(Size(parsing: "120x40") == Size(width: 120, height: 40))
        #expect(Size(parsing: "80×24") == Size(width: 80, height: 24))
        #expect(Size(parsing: "80") == nil)
        #expect(Size(parsing: "0x5") == nil)
    }

    /// Emoji sequences and CJK take the columns a terminal gives them, so the next pane starts where it should.
    @Test func emojiSequencesAndCJKTakeTheirTerminalWidth() {
        for (text, width) in [
            ("⚠️", 2),  // U+26A0 U+FE0F: emoji presentation
            ("⚠", 1),  // text presentation
            ("👨‍👩‍👧", 2),  // a ZWJ family is one glyph
            ("👍🏽", 2),  // with a skin tone
            ("🇩🇪", 2),  // a flag: two regional indicators
            ("🫠", 2),  // a newer emoji block
            ("魔兽", 4),
            ("é", 1),  // e + combining acute
        ] {
            #expect(DisplayWidth.of(text) == width, "\(text)")
            var grid = CellGrid(size: Size(width: 12, height: 1))
            let end = grid.write(text + "|", at: Point(x: 0, y: 0), role: .text)
            #expect(end == width + 1, "\(text): the bar after it lands at column \(width)")
        }
    }
}

/// The highlighted row keeps each cell's own colour on the cursor line's look.
@Suite struct SelectedAppearanceTests {
    @Test func aSelectedErrorStaysRedAndPlainTextTakesTheCursorLine() {
        let theme = Theme.builtIn
        let error = theme.appearance(of: .error, selected: true)
        #expect(error.foreground == theme.appearance(of: .error).foreground)
        #expect(error.underline && error.bold, "the cursor line's underline, the level's weight")
        #expect(theme.appearance(of: .text, selected: true) == theme.appearance(of: .cursorLine))
        #expect(theme.appearance(of: .error, selected: false) == theme.appearance(of: .error))
        var grid = CellGrid(size: Size(width: 6, height: 1))
        _ = grid.write("ab", at: Point(x: 0, y: 0), role: .error)
        grid.markSelected(Rect(x: 0, y: 0, width: 6, height: 1))
        #expect(grid[0, 0].isSelected && grid[0, 0].role == .error && grid[5, 0].isSelected)
    }
}

/// An overlay drawn over a line of wide characters never leaves half of one (the `��` under the help box): a wide
/// character cut at either edge becomes a blank, and every row keeps its width.
@Suite struct WideCharacterEdgeTests {
    @Test(arguments: [1, 2, 3])
    func aFillOrWriteOverHalfAWideCharacterBlanksTheOtherHalf(start: Int) {
        var grid = CellGrid(size: Size(width: 10, height: 2))
        grid.write("完了完了", at: Point(x: 0, y: 0), role: .text)
        grid.write("完了完了", at: Point(x: 0, y: 1), role: .text)
        grid.fill(Rect(x: start, y: 0, width: 3, height: 1), role: .overlay)
        grid.write("ab", at: Point(x: start, y: 1), role: .overlay)
        for y in 0..<2 {
            var width = 0
            for x in 0..<10 {
                let cell = grid[x, y]
                if cell.isContinuation {
                    #expect(x > 0 && DisplayWidth.of(grid[x - 1, y].character) == 2, "an orphan half at \(x),\(y)")
                } else {
                    width += DisplayWidth.of(cell.character)
                    if DisplayWidth.of(cell.character) == 2 {
                        #expect(x + 1 < 10 && grid[x + 1, y].isContinuation, "a wide character without its half")
                    }
                }
            }
            #expect(width == 10, "row \(y) keeps its width")
        }
    }
}
