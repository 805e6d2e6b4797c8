/// How one cell is drawn. Colours are optional: a monochrome terminal keeps only the
/// attributes.
public struct CellStyle: Sendable, Hashable {
    public enum Color: UInt8, Sendable, Hashable {
        case black = 0, red, green, yellow, blue, magenta, cyan, white
    }

    public var bold = false
    public var dim = false
    public var inverse = false
    public var underline = false
    public var foreground: Color?
    public var background: Color?

    public init(
        bold: Bool = false, dim: Bool = false, inverse: Bool = false, underline: Bool = false,
        foreground: Color? = nil, background: Color? = nil
    ) {
        self.bold = bold
        self.dim = dim
        self.inverse = inverse
        self.underline = underline
        self.foreground = foreground
        self.background = background
    }

    public static let plain = CellStyle()
}

/// One cell of the grid. A double-width character occupies its cell and the next one,
/// which is a continuation cell with empty text.
public struct Cell: Sendable, Hashable {
    /// The grapheme drawn in this cell, or "" for the right half of a wide character.
    public var text: String
    public var style: CellStyle

    public init(text: String = " ", style: CellStyle = .plain) {
        self.text = text
        self.style = style
    }

    public var isContinuation: Bool { text.isEmpty }
    public static let blank = Cell()
}

/// The size of a terminal screen in character cells.
public struct TerminalSize: Sendable, Hashable, CustomStringConvertible {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }

    /// The smallest screen kioskd lays out for; smaller terminals get this size clipped.
    public static let minimum = TerminalSize(columns: 80, rows: 24)
    public var description: String { "\(columns)×\(rows)" }
}

/// A screen as a grid of cells. Views write text into it; the terminal renderer sends
/// only the cells that differ from the previous grid. Writing never overflows a row and
/// never splits a wide character.
///
/// A row can be a DEC double-size line (`LineSize`): its glyphs are drawn twice as wide,
/// so it holds `columns(inRow:)` = half as many cells, counted from 0 as usual. The two
/// halves of a double-height line always hold the same cells: writing to either writes both.
public struct TextGrid: Sendable, Hashable {
    public let size: TerminalSize
    public private(set) var cells: [Cell]
    /// How each row is drawn; all `.single` until a view asks for large glyphs.
    public private(set) var lineSizes: [LineSize]
    /// Where the terminal cursor should rest after drawing, if it is shown at all.
    public var cursor: GridPosition?

    public init(size: TerminalSize) {
        self.size = size
        cells = Array(repeating: .blank, count: size.columns * size.rows)
        lineSizes = Array(repeating: .single, count: size.rows)
    }

    /// How many cells row `row` holds: all columns, or half of them on a double-size line.
    public func columns(inRow row: Int) -> Int {
        lineSizes[row] == .single ? size.columns : size.columns / 2
    }

    /// Makes `row` a line of `lineSize`, blank. A double-height line needs its other half
    /// as well: use `makeDoubleHeight(top:)`, which keeps the two together.
    public mutating func setLineSize(_ lineSize: LineSize, row: Int) {
        guard row >= 0, row < size.rows else { return }
        lineSizes[row] = lineSize
        for column in 0..<size.columns { self[row, column] = .blank }
    }

    /// Makes the double-size lines among `rows` single and blank, with both halves of a
    /// double-height line even when only one is in `rows`, so that something can be drawn
    /// over them (a box across the screen). Returns the rows it changed.
    @discardableResult
    public mutating func makeSingle(rows: ClosedRange<Int>) -> [Int] {
        var changed: [Int] = []
        for row in rows where row >= 0 && row < size.rows && lineSizes[row] != .single {
            if lineSizes[row] == .doubleHeightBottom, row > 0, lineSizes[row - 1] == .doubleHeightTop { changed.append(row - 1) }
            changed.append(row)
            if lineSizes[row] == .doubleHeightTop, row + 1 < size.rows, lineSizes[row + 1] == .doubleHeightBottom { changed.append(row + 1) }
        }
        let rows = Set(changed).sorted()
        for row in rows { setLineSize(.single, row: row) }
        return rows
    }

    /// Makes rows `top` and `top + 1` one blank double-height line; false, changing
    /// nothing, when the second row is off the grid.
    @discardableResult
    public mutating func makeDoubleHeight(top: Int) -> Bool {
        guard top >= 0, top + 1 < size.rows else { return false }
        setLineSize(.doubleHeightTop, row: top)
        setLineSize(.doubleHeightBottom, row: top + 1)
        return true
    }

    public subscript(row: Int, column: Int) -> Cell {
        get { cells[row * size.columns + column] }
        set { cells[row * size.columns + column] = newValue }
    }

    /// Writes `text` from (row, column) and returns the column after the last cell
    /// written. Text beyond `limit` columns (default: the end of the row) is cut with an
    /// ellipsis; a wide character that would straddle the limit is not drawn.
    @discardableResult
    public mutating func put(
        _ text: some StringProtocol, row: Int, column: Int, style: CellStyle = .plain, limit: Int? = nil
    ) -> Int {
        guard row >= 0, row < size.rows, column >= 0, column < columns(inRow: row) else { return column }
        defer { mirrorDoubleHeight(row: row) }
        let end = min(columns(inRow: row), column + (limit ?? size.columns))
        let fitted = text.truncated(toWidth: end - column)
        var x = column
        for character in fitted {
            let width = DisplayWidth.of(character)
            guard width > 0 else { continue }
            guard x + width <= end else { break }
            clearWide(row: row, column: x)
            self[row, x] = Cell(text: String(character), style: style)
            if width == 2 {
                clearWide(row: row, column: x + 1)
                self[row, x + 1] = Cell(text: "", style: style)
            }
            x += width
        }
        return x
    }

    /// Fills `count` cells of a row with one character and style.
    public mutating func fill(row: Int, column: Int, count: Int, with character: Character = " ", style: CellStyle = .plain) {
        guard row >= 0, row < size.rows else { return }
        defer { mirrorDoubleHeight(row: row) }
        let end = min(columns(inRow: row), column + count)
        var x = max(0, column)
        while x < end {
            clearWide(row: row, column: x)
            self[row, x] = Cell(text: String(character), style: style)
            x += 1
        }
    }

    /// Applies `style` to the cells of a row that already hold text.
    public mutating func restyle(row: Int, column: Int, count: Int, style: CellStyle) {
        guard row >= 0, row < size.rows, column < columns(inRow: row) else { return }
        for x in max(0, column)..<min(columns(inRow: row), column + count) { self[row, x].style = style }
        mirrorDoubleHeight(row: row)
    }

    /// The rows as plain text, one string a row, wide characters once, trailing spaces
    /// kept: the form in which screens are compared in tests. A double-size line reads as
    /// it looks, each glyph followed by as many spaces as it is wide ("中  文  ", "a b "),
    /// so every line is as wide as the screen.
    public var lines: [String] {
        (0..<size.rows).map { row in
            var line = ""
            let double = lineSizes[row] != .single
            for column in 0..<columns(inRow: row) {
                let cell = self[row, column]
                guard !cell.isContinuation else { continue }
                line += cell.text
                if double { line += String(repeating: " ", count: max(1, DisplayWidth.of(cell.text))) }
            }
            if double, size.columns % 2 == 1 { line += " " }
            return line
        }
    }

    /// Copies a double-height half onto its other half, so both draw the same glyphs.
    private mutating func mirrorDoubleHeight(row: Int) {
        let partner: Int
        switch lineSizes[row] {
        case .doubleHeightTop where row + 1 < size.rows && lineSizes[row + 1] == .doubleHeightBottom: partner = row + 1
        case .doubleHeightBottom where row > 0 && lineSizes[row - 1] == .doubleHeightTop: partner = row - 1
        default: return
        }
        for column in 0..<size.columns { self[partner, column] = self[row, column] }
    }

    /// Overwriting half of a wide character blanks its other half, so no half-glyph stays.
    private mutating func clearWide(row: Int, column: Int) {
        let cell = self[row, column]
        if cell.isContinuation, column > 0 {
            self[row, column - 1] = .blank
        } else if column + 1 < size.columns, DisplayWidth.of(cell.text) == 2 {
            self[row, column + 1] = .blank
        }
    }
}

/// How a row's glyphs are drawn: the DEC line attributes (VT100 and later, xterm,
/// Konsole, mlterm). Elder-friendly mode uses them for large titles and choices on
/// terminals configured to support them.
public enum LineSize: UInt8, Sendable, Hashable {
    /// Normal glyphs (DECSWL, `ESC # 5`).
    case single
    /// Glyphs twice as wide, normal height (DECDWL, `ESC # 6`).
    case doubleWidth
    /// The top half of glyphs twice as wide and twice as high (DECDHL, `ESC # 3`).
    case doubleHeightTop
    /// The bottom half of the line above (DECDHL, `ESC # 4`).
    case doubleHeightBottom

    /// The final byte of the escape sequence that selects this size: `ESC #` and it.
    public var decFinal: UInt8 {
        switch self {
        case .single: UInt8(ascii: "5")
        case .doubleWidth: UInt8(ascii: "6")
        case .doubleHeightTop: UInt8(ascii: "3")
        case .doubleHeightBottom: UInt8(ascii: "4")
        }
    }
}

/// A cell position on the grid, counted from 0 at the top left.
public struct GridPosition: Sendable, Hashable {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}
