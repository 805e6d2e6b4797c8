import KioskCore
import Testing

@Suite("Text grid")
struct TextGridTests {
    @Test("A wide character fills its cell and a continuation cell")
    func wideCells() {
        // Given an empty grid
        var grid = TextGrid(size: TerminalSize(columns: 10, rows: 1))
        // When Chinese and ASCII are written
        let end = grid.put("中a文", row: 0, column: 0)
        // Then each ideograph takes two cells and the line reads back once
        #expect(end == 5)
        #expect(grid[0, 1].isContinuation)
        #expect(grid.lines == ["中a文     "])
    }

    @Test("Text never overflows the row or the limit, and a wide character at the edge is dropped")
    func clipping() {
        var grid = TextGrid(size: TerminalSize(columns: 5, rows: 1))
        grid.put("abcd中", row: 0, column: 0)
        #expect(grid.lines == ["abcd…"])
        var limited = TextGrid(size: TerminalSize(columns: 10, rows: 1))
        limited.put("中文中文", row: 0, column: 1, limit: 4)
        #expect(limited.lines == [" 中…      "])
    }

    @Test("Overwriting half of a wide character blanks the other half")
    func overwriteHalf() {
        var grid = TextGrid(size: TerminalSize(columns: 4, rows: 1))
        grid.put("中文", row: 0, column: 0)
        grid.put("x", row: 0, column: 1)
        #expect(grid.lines == [" x文"])
    }

    @Test("A double-width line holds half the cells and reads as wide as it looks")
    func doubleWidthLine() {
        // Given a 10-column grid whose first row is double width
        var grid = TextGrid(size: TerminalSize(columns: 10, rows: 2))
        grid.put("old", row: 0, column: 0)
        grid.setLineSize(.doubleWidth, row: 0)
        // When more text is written than half a row holds
        let end = grid.put("ab中文x", row: 0, column: 0)
        // Then the old text is gone, five cells are used with an ellipsis at a character
        // boundary, and the line reads with each glyph doubled
        #expect(grid.columns(inRow: 0) == 5)
        #expect(grid.columns(inRow: 1) == 10)
        #expect(end == 5)
        #expect(grid.lines[0] == "a b 中  … ")
        #expect(grid.lines[0].displayWidth == 10)
        #expect((5..<10).allSatisfy { grid[0, $0] == .blank })
    }

    @Test("The two halves of a double-height line always hold the same text")
    func doubleHeightHalves() {
        // Given an 11-column grid with a double-height line over rows 1 and 2
        var grid = TextGrid(size: TerminalSize(columns: 11, rows: 4))
        let made = grid.makeDoubleHeight(top: 1)
        let offGrid = grid.makeDoubleHeight(top: 3)
        #expect(made && !offGrid)
        // When text is written to the top half, filled and restyled through the bottom half
        grid.put("办事", row: 1, column: 0)
        grid.fill(row: 2, column: 4, count: 9, with: "-")
        grid.restyle(row: 2, column: 0, count: 2, style: CellStyle(inverse: true))
        // Then both halves show the same cells, within half the row, and the odd column
        // is padded
        #expect(grid.lineSizes == [.single, .doubleHeightTop, .doubleHeightBottom, .single])
        #expect(grid.lines[1] == "办  事  -  ")
        #expect(grid.lines[2] == grid.lines[1])
        #expect(grid[1, 0].style.inverse && grid[2, 0].style.inverse)
        #expect(grid.lines[1].displayWidth == 11)
    }

    @Test("Writes outside the grid are ignored")
    func outside() {
        var grid = TextGrid(size: TerminalSize(columns: 3, rows: 1))
        grid.put("x", row: 5, column: 0)
        grid.put("x", row: 0, column: 7)
        #expect(grid.lines == ["   "])
    }
}

@Suite("Untrusted text")
struct UntrustedTextTests {
    @Test("Escape sequences, C0/C1 controls and bidi overrides are stripped before drawing")
    func stripsControls() {
        // Given a name carrying a screen-clearing sequence and a bidi override
        let hostile = "张\u{1B}[2J三\u{07}\u{0085}\u{202E}abc\r\n"
        // When sanitized / Then only printable text is left
        #expect(UntrustedText(hostile).sanitized == "张[2J三abc")
    }
}

@Suite("Display width fast path")
struct DisplayWidthFastPathTests {
    @Test("Every scalar said to stand alone is its own grapheme beside any other, as the standard library breaks them")
    func standaloneScalarsAreGraphemes() {
        // Given every scalar of the standalone ranges
        var wrong: [String] = []
        for range in DisplayWidth.standaloneRanges {
            for value in range {
                guard let scalar = Unicode.Scalar(value), DisplayWidth.standsAlone(scalar) else { continue }
                // When it stands between ASCII, an ideograph, a box-drawing line and itself
                var text = String.UnicodeScalarView()
                text.append(contentsOf: ["a", scalar, "中", scalar, "─", scalar, scalar])
                // Then the standard library sees one grapheme per scalar
                if String(text).count != 7 { wrong.append(String(value, radix: 16)) }
            }
        }
        #expect(wrong.isEmpty, "scalars that join a neighbour: \(wrong.prefix(20))")
    }

    @Test("The fast path measures text exactly as the grapheme path does, and declines what it cannot")
    func fastPathAgreesWithGraphemes() {
        // Given texts a kiosk shows, and texts with marks, emoji sequences and controls
        let plain = ["Service guide 办事指南", "¥1,234.50", "┌──┐ ▀▄█ ← →", "（１）「预约」", "ｶﾀｶﾅ", "𠀀𠀁", "Ünïcødé"]
        let joined = ["e\u{301}", "👍🏽", "🇨🇳", "a\u{200D}b", "가", "x\u{FE0F}", "\u{AD}", "ｶﾞ"]
        for text in plain {
            // Then the fast path answers, and with the grapheme path's width
            let graphemeWidth = text.reduce(0) { $0 + DisplayWidth.of($1) }
            #expect(DisplayWidth.ofStandaloneScalars(text) == graphemeWidth, "\(text)")
        }
        for text in joined {
            // Then it declines, so the grapheme path measures
            #expect(DisplayWidth.ofStandaloneScalars(text) == nil, "\(text)")
        }
    }

    @Test("A grapheme of several scalars is kept whole in its cell and reads back")
    func clusterCells() {
        // Given a grid
        var grid = TextGrid(size: TerminalSize(columns: 8, rows: 1))
        // When a decomposed letter and a flag are written
        let end = grid.put("e\u{301}x🇨🇳", row: 0, column: 0)
        // Then the letter takes one cell, the flag two, and both read back whole
        #expect(end == 4)
        #expect(grid.text(of: grid[0, 0]) == "e\u{301}")
        #expect(grid[0, 2].isWide && grid[0, 3].isContinuation)
        #expect(grid.lines == ["e\u{301}x🇨🇳    "])
        // And a grid drawn the same way in another order is equal
        var other = TextGrid(size: TerminalSize(columns: 8, rows: 1))
        other.put("🇨🇳", row: 0, column: 2)
        other.put("e\u{301}x", row: 0, column: 0)
        #expect(grid == other)
    }
}
