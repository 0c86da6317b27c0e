/// A screenful of cells in memory: what every frame is drawn into before a `Screen` shows it.
///
/// Drawing is clipped to the grid, never wraps, and never splits a wide character: one that does not fit is replaced
/// by a space.
public struct CellGrid: Sendable, Equatable {
    public let size: Size
    private var cells: [Cell]

    public init(size: Size) {
        self.size = size
        self.cells = Array(repeating: .blank, count: size.width * size.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.width + x] }
        set { cells[y * size.width + x] = newValue }
    }

    /// Fills a rectangle (clipped) with blanks of one role.
    public mutating func fill(_ rect: Rect, role: StyleRole) {
        let x0 = max(0, rect.x), x1 = min(size.width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(size.height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { self[x, y] = Cell(" ", role: role) }
            repairEdges(y: y, from: x0, to: x1)
        }
    }

    /// After cells `from..<to` of row `y` were drawn over: a wide character cut in half at either edge (its lead
    /// left of `from`, or its trailing half at `to`) becomes a blank, so that no frame shows half a character or
    /// shifts the rest of its row (an overlay's border over a CJK log line).
    private mutating func repairEdges(y: Int, from: Int, to: Int) {
        if from > 0, from < size.width, !self[from, y].isContinuation, self[from - 1, y].character != " ",
            DisplayWidth.of(self[from - 1, y].character) == 2
        {
            self[from - 1, y] = Cell(" ", role: self[from - 1, y].role)
        }
        if to < size.width, self[to, y].isContinuation {
            self[to, y] = Cell(" ", role: self[to, y].role)
        }
    }

    /// Writes text on one row starting at `point`, at most `maxWidth` columns (and never past the grid's edge).
    ///
    /// - Parameter roleAt: picks a role per character offset, for highlights; `nil` uses `role` throughout.
    /// - Returns: the columns used.
    @discardableResult
    static func isLayoutControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F
            || v == 0x061C || v == 0x2028 || v == 0x2029
    }

    /// Marks the cells of `rect` as the highlighted row (see `Cell.isSelected`).
    public mutating func markSelected(_ rect: Rect) {
        for y in max(0, rect.y)..<min(size.height, rect.y + rect.height) {
            for x in max(0, rect.x)..<min(size.width, rect.x + rect.width) { self[x, y].isSelected = true }
        }
    }

    public mutating func write(
        _ text: some StringProtocol, at point: Point, role: StyleRole, maxWidth: Int? = nil,
        roleAt: ((Int) -> StyleRole?)? = nil
    ) -> Int {
        guard point.y >= 0, point.y < size.height, point.x < size.width else { return 0 }
        let limit = min(size.width, point.x + (maxWidth ?? size.width))
        var x = point.x
        var offset = -1
        for character in text {
            offset += 1
            // Bidi controls and line separators reorder or break a drawn line: shown as their code, whatever the
            // source (a log line, a crash report, a file name, a patch).
            if let control = character.unicodeScalars.first(where: Self.isLayoutControl) {
                let code = "<U+\(String(control.value, radix: 16, uppercase: true))>"
                let cellRole = roleAt?(offset) ?? role
                for symbol in code {
                    guard x < limit else { break }
                    if x >= 0 { self[x, point.y] = Cell(symbol, role: cellRole) }
                    x += 1
                }
                continue
            }
            let width = DisplayWidth.of(character)
            if width == 0 { continue }
            if x + width > limit {
                if x < limit, x >= 0 { self[x, point.y] = Cell(" ", role: role) }
                x = limit
                break
            }
            let cellRole = roleAt?(offset) ?? role
            if x >= 0 {
                self[x, point.y] = Cell(character, role: cellRole)
                if width == 2 { self[x + 1, point.y] = Cell(" ", role: cellRole, isContinuation: true) }
            }
            x += width
        }
        repairEdges(y: point.y, from: max(0, point.x), to: min(size.width, x))
        return max(0, x - point.x)
    }

    /// The grid as plain text, one string per row, trailing spaces removed.
    public var textLines: [String] {
        (0..<size.height).map { y in
            var line = ""
            for x in 0..<size.width where !self[x, y].isContinuation { line.append(self[x, y].character) }
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The grid as plain text with a trailing newline per row: what `crashwatch render` prints.
    public var text: String { textLines.map { $0 + "\n" }.joined() }
}
