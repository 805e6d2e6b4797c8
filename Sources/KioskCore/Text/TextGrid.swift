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
public struct TextGrid: Sendable, Hashable {
    public let size: TerminalSize
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should rest after drawing, if it is shown at all.
    public var cursor: GridPosition?

    public init(size: TerminalSize) {
        self.size = size
        cells = Array(repeating: .blank, count: size.columns * size.rows)
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
        guard row >= 0, row < size.rows, column >= 0, column < size.columns else { return column }
        let end = min(size.columns, column + (limit ?? size.columns))
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
        let end = min(size.columns, column + count)
        var x = max(0, column)
        while x < end {
            clearWide(row: row, column: x)
            self[row, x] = Cell(text: String(character), style: style)
            x += 1
        }
    }

    /// Applies `style` to the cells of a row that already hold text.
    public mutating func restyle(row: Int, column: Int, count: Int, style: CellStyle) {
        guard row >= 0, row < size.rows else { return }
        for x in max(0, column)..<min(size.columns, column + count) { self[row, x].style = style }
    }

    /// The rows as plain text, one string a row, wide characters once, trailing spaces
    /// kept: the form in which screens are compared in tests.
    public var lines: [String] {
        (0..<size.rows).map { row in
            var line = ""
            for column in 0..<size.columns {
                let cell = self[row, column]
                if !cell.isContinuation { line += cell.text }
            }
            return line
        }
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

/// A cell position on the grid, counted from 0 at the top left.
public struct GridPosition: Sendable, Hashable {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}
