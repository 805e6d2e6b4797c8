import KioskCore

/// Turns successive text grids into the bytes that bring a terminal from the previous
/// grid to the next one.
///
/// Only cells that changed are sent; between two changed cells the renderer chooses the
/// cheapest way to move the cursor (absolute move, relative move, carriage return and
/// newline, or rewriting the unchanged cells in between), because serial terminals run at
/// 9600–115200 baud. The first frame, and the first after `invalidate()`, clears the screen.
///
/// A row whose line size changes (DEC double-width or double-height, see `LineSize`) is
/// erased, given its new size (`ESC # n`) and drawn whole, because its cells change
/// meaning. On a double-size row columns are counted in double-width glyphs, which is how
/// the terminal counts them for cursor moves too.
public struct ScreenRenderer: Sendable {
    public var options: RenderOptions
    private var previous: TextGrid?
    /// The line size each row has on the terminal. Kept across `invalidate()`: clearing
    /// the screen resets line sizes on a VT100, but not necessarily on every emulator, so
    /// a row that was made large is made single again explicitly.
    private var shownLineSizes: [LineSize] = []
    /// Where the terminal's cursor is, or nil when unknown (after writing the last column).
    private var cursor: GridPosition?
    /// The attributes in effect on the terminal, or nil when unknown.
    private var style: CellStyle?
    private var cursorVisible = false

    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// Forgets what the terminal shows, so the next frame redraws everything.
    public mutating func invalidate() {
        previous = nil
        cursor = nil
        style = nil
    }

    /// The bytes that make the terminal show `grid`.
    public mutating func frame(_ grid: TextGrid) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        let old: TextGrid
        let cleared: Bool
        if let previous, previous.size == grid.size {
            old = previous
            cleared = false
        } else {
            out += Array("\u{1B}[0m\u{1B}[H\u{1B}[2J".utf8)
            cursor = GridPosition(row: 0, column: 0)
            style = .plain
            old = TextGrid(size: grid.size)
            cleared = true
        }
        if shownLineSizes.count != grid.size.rows {
            shownLineSizes = Array(repeating: .single, count: grid.size.rows)
        }
        for row in 0..<grid.size.rows {
            let wanted = grid.lineSizes[row]
            if wanted != shownLineSizes[row] || (cleared && wanted != .single) {
                resize(row: row, to: wanted, erase: !cleared, in: grid, into: &out)
                drawChanges(row: row, old: nil, new: grid, into: &out)
            } else {
                drawChanges(row: row, old: old, new: grid, into: &out)
            }
        }
        if let target = grid.cursor {
            move(to: target, in: grid, into: &out)
            if !cursorVisible { out += Array("\u{1B}[?25h".utf8) }
            cursorVisible = true
        } else if cursorVisible {
            out += Array("\u{1B}[?25l".utf8)
            cursorVisible = false
        }
        previous = grid
        return out
    }

    /// Gives `row` its new line size on the terminal, erased first when it held anything.
    private mutating func resize(row: Int, to lineSize: LineSize, erase: Bool, in grid: TextGrid, into out: inout [UInt8]) {
        // The cursor goes to column 0 first: a terminal clamps it to the half-width
        // margin of a double-size line, and column 0 means the same in both sizes.
        move(to: GridPosition(row: row, column: 0), in: grid, into: &out)
        if erase {
            // Erased cells take the current background: plain, not an inverse bar.
            setStyle(.plain, into: &out)
            out += Array("\u{1B}[2K".utf8)
        }
        out += [0x1B, UInt8(ascii: "#"), lineSize.decFinal]
        shownLineSizes[row] = lineSize
    }

    /// Sends the cells of `row` that differ from `old`, or every non-blank cell when the
    /// row was just erased (`old` is nil).
    private mutating func drawChanges(row: Int, old: TextGrid?, new: TextGrid, into out: inout [UInt8]) {
        var column = 0
        while let change = new.firstChange(inRow: row, from: column, comparedWith: old) {
            // A change in the right half of a wide character redraws from its left half.
            var start = change
            while start > 0, new[row, start].isContinuation { start -= 1 }
            move(to: GridPosition(row: row, column: start), in: new, into: &out)
            column = write(row: row, column: start, grid: new, into: &out)
        }
    }

    /// Writes the cell at (row, column) and returns the next column to look at.
    private mutating func write(row: Int, column: Int, grid: TextGrid, into out: inout [UInt8]) -> Int {
        let cell = grid[row, column]
        if cell.isContinuation {
            // An orphaned right half (should not happen in a well-formed grid): draw a blank.
            setStyle(cell.style, into: &out)
            out.append(0x20)
            advance(by: 1, columns: grid.columns(inRow: row))
            return column + 1
        }
        setStyle(cell.style, into: &out)
        let width = cell.isWide ? 2 : 1
        appendGlyph(of: cell, in: grid, into: &out)
        advance(by: width, columns: grid.columns(inRow: row))
        return column + width
    }

    private mutating func advance(by width: Int, columns: Int) {
        guard let position = cursor else { return }
        let next = position.column + width
        // At the last column the terminal is in the pending-wrap state: position unknown.
        cursor = next >= columns ? nil : GridPosition(row: position.row, column: next)
    }

    /// Moves the cursor to `target` with the fewest bytes.
    private mutating func move(to target: GridPosition, in grid: TextGrid, into out: inout [UInt8]) {
        if cursor == target { return }
        var best = Array("\u{1B}[\(target.row + 1);\(target.column + 1)H".utf8)
        if target.column == 0 { best = Array("\u{1B}[\(target.row + 1)H".utf8) }
        if let position = cursor {
            var candidates: [[UInt8]] = []
            if position.row == target.row {
                let distance = target.column - position.column
                if distance > 0 {
                    candidates.append(Array((distance == 1 ? "\u{1B}[C" : "\u{1B}[\(distance)C").utf8))
                    if let rewrite = rewriteBytes(row: target.row, from: position.column, to: target.column, grid: grid) {
                        candidates.append(rewrite)
                    }
                } else {
                    candidates.append(Array((-distance == 1 ? "\u{1B}[D" : "\u{1B}[\(-distance)D").utf8))
                    if target.column == 0 { candidates.append([0x0D]) }
                }
            } else if target.row == position.row + 1, target.column == 0 {
                candidates.append([0x0D, 0x0A])
            }
            for candidate in candidates where candidate.count < best.count { best = candidate }
        }
        out += best
        cursor = target
    }

    /// The bytes of the unchanged cells between two columns, when rewriting them moves the
    /// cursor without changing attributes.
    private func rewriteBytes(row: Int, from start: Int, to end: Int, grid: TextGrid) -> [UInt8]? {
        guard end - start <= 8 else { return nil }
        var bytes: [UInt8] = []
        var column = start
        while column < end {
            let cell = grid[row, column]
            guard !cell.isContinuation, cell.style == style else { return nil }
            let width = cell.isWide ? 2 : 1
            guard column + width <= end else { return nil }
            appendGlyph(of: cell, in: grid, into: &bytes)
            column += width
        }
        return bytes
    }

    private mutating func setStyle(_ wanted: CellStyle, into out: inout [UInt8]) {
        guard wanted != style else { return }
        var codes = ["0"]
        if wanted.bold { codes.append("1") }
        if wanted.dim { codes.append("2") }
        if wanted.underline { codes.append("4") }
        if wanted.inverse { codes.append("7") }
        if options.colors {
            if let foreground = wanted.foreground { codes.append("3\(foreground.rawValue)") }
            if let background = wanted.background { codes.append("4\(background.rawValue)") }
        } else if wanted.foreground == .black, wanted.background == .white, !wanted.inverse {
            // Dark on light (a QR code) on a monochrome terminal, which draws light on dark.
            codes.append("7")
        }
        let sequence = codes == ["0"] ? "\u{1B}[m" : "\u{1B}[" + codes.joined(separator: ";") + "m"
        out += Array(sequence.utf8)
        style = wanted
    }

    /// The cell's glyph, or its ASCII stand-in on an ASCII-only terminal.
    private func appendGlyph(of cell: Cell, in grid: TextGrid, into out: inout [UInt8]) {
        if options.asciiOnly, let scalar = cell.scalar, !scalar.isASCII, let fallback = Self.asciiFallback[scalar] {
            out.append(fallback)
        } else {
            grid.appendUTF8(of: cell, to: &out)
        }
    }

    private static let asciiFallback: [Unicode.Scalar: UInt8] = [
        "─": UInt8(ascii: "-"), "│": UInt8(ascii: "|"), "┌": UInt8(ascii: "+"), "┐": UInt8(ascii: "+"),
        "└": UInt8(ascii: "+"), "┘": UInt8(ascii: "+"), "├": UInt8(ascii: "+"), "┤": UInt8(ascii: "+"),
        "┬": UInt8(ascii: "+"), "┴": UInt8(ascii: "+"), "┼": UInt8(ascii: "+"), "═": UInt8(ascii: "="),
        "║": UInt8(ascii: "|"), "▶": UInt8(ascii: ">"), "◀": UInt8(ascii: "<"), "↑": UInt8(ascii: "^"),
        "↓": UInt8(ascii: "v"), "·": UInt8(ascii: "."), "…": UInt8(ascii: "~"),
    ]
}
