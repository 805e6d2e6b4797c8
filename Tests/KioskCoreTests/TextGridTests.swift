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
