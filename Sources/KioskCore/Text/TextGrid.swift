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

/// One cell of the grid: a glyph and its style, as a plain value without references, so
/// that drawing a screen and comparing it with the last one is copying and comparing
/// small integers. A double-width character occupies its cell and the next one, which is
/// a continuation cell. Nearly every cell holds one Unicode scalar; a grapheme of several
/// scalars (a letter with a combining mark, an emoji sequence) is kept in its grid's
/// table, and `TextGrid.text(of:)` reads any cell back as text.
public struct Cell: Sendable, Hashable {
    /// The scalar's value; or, with `clusterFlag`, the index of a grapheme in the grid's
    /// table; 0 for the right half of a wide character. `wideFlag` marks a glyph two
    /// columns wide.
    var glyph: UInt32
    public var style: CellStyle

    init(glyph: UInt32, style: CellStyle) {
        self.glyph = glyph
        self.style = style
    }

    static let valueMask: UInt32 = 0x1F_FFFF
    static let clusterFlag: UInt32 = 0x20_0000
    static let wideFlag: UInt32 = 0x40_0000

    /// A cell showing `scalar`, `width` (1 or 2) columns wide.
    init(scalar: Unicode.Scalar, width: Int, style: CellStyle) {
        self.init(glyph: scalar.value | (width == 2 ? Self.wideFlag : 0), style: style)
    }

    /// The right half of a wide character.
    static func continuation(style: CellStyle) -> Cell { Cell(glyph: 0, style: style) }

    public var isContinuation: Bool { glyph == 0 }
    /// Whether the glyph takes this cell and the next.
    public var isWide: Bool { glyph & Self.wideFlag != 0 }
    var isCluster: Bool { glyph & Self.clusterFlag != 0 }

    /// The scalar drawn, when the cell holds exactly one.
    public var scalar: Unicode.Scalar? {
        guard glyph != 0, !isCluster else { return nil }
        return Unicode.Scalar(glyph & Self.valueMask)
    }

    public static let blank = Cell(glyph: 0x20, style: .plain)
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
///
/// Two grids are equal when they look the same: same size, line sizes, cursor, and the
/// same text and style in every cell.
public struct TextGrid: Sendable {
    public let size: TerminalSize
    public private(set) var cells: [Cell]
    /// How each row is drawn; all `.single` until a view asks for large glyphs.
    public private(set) var lineSizes: [LineSize]
    /// Where the terminal cursor should rest after drawing, if it is shown at all.
    public var cursor: GridPosition?
    /// The graphemes of several scalars written into this grid, which cells refer to by
    /// index. Only grows: a screen is drawn once into a fresh grid.
    private var clusters: [String] = []

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

    /// The text a cell shows: one grapheme, or "" for the right half of a wide character.
    public func text(of cell: Cell) -> String {
        if cell.isCluster { return clusters[Int(cell.glyph & Cell.valueMask)] }
        return cell.scalar.map { String(Character($0)) } ?? ""
    }

    /// Appends the UTF-8 of the cell's glyph (nothing for a continuation).
    public func appendUTF8(of cell: Cell, to bytes: inout [UInt8]) {
        if let scalar = cell.scalar {
            if scalar.isASCII { bytes.append(UInt8(scalar.value)) } else { bytes.append(contentsOf: String(Character(scalar)).utf8) }
        } else if cell.isCluster {
            bytes.append(contentsOf: clusters[Int(cell.glyph & Cell.valueMask)].utf8)
        }
    }

    /// Whether the cell at (row, column) looks the same in `other`: the same glyph and style.
    public func sameCell(row: Int, column: Int, in other: TextGrid) -> Bool {
        let mine = self[row, column], theirs = other[row, column]
        if mine.glyph == theirs.glyph, !mine.isCluster { return mine.style == theirs.style }
        guard mine.isCluster || theirs.isCluster, mine.style == theirs.style else { return false }
        return text(of: mine) == other.text(of: theirs)
    }

    /// The first column from `column` on in `row` whose cell differs from `other`'s, or
    /// from a blank when there is no `other`; nil when the rest of the row is the same.
    /// The renderer's inner loop: most cells of a frame are unchanged.
    public func firstChange(inRow row: Int, from column: Int, comparedWith other: TextGrid?) -> Int? {
        let end = columns(inRow: row)
        guard column < end else { return nil }
        let base = row * size.columns
        return cells.withUnsafeBufferPointer { mine -> Int? in
            guard let other else {
                for x in column..<end where mine[base + x] != .blank { return x }
                return nil
            }
            return other.cells.withUnsafeBufferPointer { theirs -> Int? in
                for x in column..<end {
                    let a = mine[base + x], b = theirs[base + x]
                    if a.glyph == b.glyph, !a.isCluster, a.style == b.style { continue }
                    if !sameCell(row: row, column: x, in: other) { return x }
                }
                return nil
            }
        }
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
        // Nearly all text is scalars that are graphemes of their own and fits: written
        // scalar by scalar, without grapheme breaking or a truncated copy.
        if let width = DisplayWidth.ofStandaloneScalars(text), column + width <= end {
            var x = column
            for scalar in text.unicodeScalars {
                let width = DisplayWidth.of(scalar)
                place(Cell(scalar: scalar, width: width, style: style), row: row, column: x)
                x += width
            }
            return x
        }
        var x = column
        for character in text.truncated(toWidth: end - column) {
            let width = DisplayWidth.of(character)
            guard width > 0 else { continue }
            guard x + width <= end else { break }
            place(cell(for: character, width: width, style: style), row: row, column: x)
            x += width
        }
        return x
    }

    /// Fills `count` cells of a row with one character and style.
    public mutating func fill(row: Int, column: Int, count: Int, with character: Character = " ", style: CellStyle = .plain) {
        guard row >= 0, row < size.rows else { return }
        defer { mirrorDoubleHeight(row: row) }
        let end = min(columns(inRow: row), column + count)
        let filler = cell(for: character, width: 1, style: style)
        var x = max(0, column)
        while x < end {
            clearWide(row: row, column: x)
            self[row, x] = filler
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
                line += text(of: cell)
                if double { line += cell.isWide ? "  " : " " }
            }
            if double, size.columns % 2 == 1 { line += " " }
            return line
        }
    }

    /// The cell for one grapheme: its scalar, or a new entry in the grapheme table.
    private mutating func cell(for character: Character, width: Int, style: CellStyle) -> Cell {
        let scalars = character.unicodeScalars
        if scalars.count == 1, let scalar = scalars.first { return Cell(scalar: scalar, width: width, style: style) }
        clusters.append(String(character))
        let glyph = UInt32(clusters.count - 1) | Cell.clusterFlag | (width == 2 ? Cell.wideFlag : 0)
        return Cell(glyph: glyph, style: style)
    }

    /// Writes one glyph at (row, x), and its continuation cell when it is wide.
    private mutating func place(_ cell: Cell, row: Int, column x: Int) {
        clearWide(row: row, column: x)
        self[row, x] = cell
        if cell.isWide {
            clearWide(row: row, column: x + 1)
            self[row, x + 1] = .continuation(style: cell.style)
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
        } else if column + 1 < size.columns, cell.isWide {
            self[row, column + 1] = .blank
        }
    }
}

extension TextGrid: Hashable {
    public static func == (lhs: TextGrid, rhs: TextGrid) -> Bool {
        guard lhs.size == rhs.size, lhs.lineSizes == rhs.lineSizes, lhs.cursor == rhs.cursor else { return false }
        for row in 0..<lhs.size.rows {
            for column in 0..<lhs.size.columns where !lhs.sameCell(row: row, column: column, in: rhs) { return false }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(size)
        hasher.combine(lineSizes)
        hasher.combine(cursor)
        for cell in cells {
            if cell.isCluster { hasher.combine(text(of: cell)) } else { hasher.combine(cell.glyph) }
            hasher.combine(cell.style)
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
