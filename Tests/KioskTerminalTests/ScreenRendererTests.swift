import KioskTesting
import KioskCore
import KioskTerminal
import Testing

func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

@Suite("Screen renderer")
struct ScreenRendererTests {
    let size = TerminalSize(columns: 10, rows: 3)

    @Test("The first frame clears the screen and writes only non-blank cells")
    func firstFrame() {
        var grid = TextGrid(size: size)
        grid.put("ab", row: 0, column: 0)
        var renderer = ScreenRenderer()
        #expect(text(renderer.frame(grid)) == "\u{1B}[0m\u{1B}[H\u{1B}[2Jab")
    }

    @Test("An unchanged frame sends nothing")
    func unchanged() {
        var grid = TextGrid(size: size)
        grid.put("ab", row: 0, column: 0)
        var renderer = ScreenRenderer()
        _ = renderer.frame(grid)
        #expect(renderer.frame(grid).isEmpty)
    }

    @Test("One changed cell sends the cheapest cursor move and that cell only")
    func oneCell() {
        var grid = TextGrid(size: size)
        grid.put("hello", row: 1, column: 0)
        var renderer = ScreenRenderer()
        _ = renderer.frame(grid)
        grid.put("J", row: 1, column: 0)
        #expect(text(renderer.frame(grid)) == "\rJ")
    }

    @Test("A short gap is crossed by rewriting the cells, a long one by a relative move")
    func gaps() {
        var grid = TextGrid(size: TerminalSize(columns: 40, rows: 2))
        grid.put(String(repeating: "x", count: 40), row: 0, column: 0)
        var renderer = ScreenRenderer()
        _ = renderer.frame(grid)
        grid.put("A", row: 0, column: 2)
        grid.put("B", row: 0, column: 4)
        grid.put("C", row: 0, column: 30)
        #expect(text(renderer.frame(grid)) == "\u{1B}[1;3HAxB\u{1B}[25CC")
    }

    @Test("A changed wide character is written whole, from its left half")
    func wideChange() {
        var grid = TextGrid(size: size)
        grid.put("中文", row: 0, column: 0)
        var renderer = ScreenRenderer()
        _ = renderer.frame(grid)
        grid.put("中字", row: 0, column: 0)
        #expect(text(renderer.frame(grid)) == "\u{1B}[2D字")
    }

    @Test("Style changes are sent once per run, and reset after")
    func styles() {
        var grid = TextGrid(size: size)
        var renderer = ScreenRenderer()
        _ = renderer.frame(grid)
        grid.put("ab", row: 2, column: 0, style: CellStyle(bold: true, inverse: true))
        grid.put("c", row: 2, column: 2)
        #expect(text(renderer.frame(grid)) == "\u{1B}[3H\u{1B}[0;1;7mab\u{1B}[mc")
    }

    @Test("Monochrome terminals get attributes without colours")
    func monochrome() {
        var grid = TextGrid(size: size)
        var renderer = ScreenRenderer(options: RenderOptions(colors: false))
        _ = renderer.frame(grid)
        grid.put("a", row: 0, column: 0, style: CellStyle(bold: true, foreground: .red))
        #expect(text(renderer.frame(grid)) == "\u{1B}[0;1ma")
    }

    @Test("ASCII-only terminals get box lines as + - |")
    func asciiBoxes() {
        var grid = TextGrid(size: size)
        grid.put("┌─┐▶", row: 0, column: 0)
        var renderer = ScreenRenderer(options: RenderOptions(asciiOnly: true))
        #expect(text(renderer.frame(grid)).hasSuffix("+-+>"))
    }

    @Test("Moving the highlight of a menu costs far fewer bytes than a redraw")
    func highlightMove() throws {
        // Given the real home menu drawn once
        let view = MenuView(localization: try Localization.shipped(), terminalName: "hall-1")
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        var renderer = ScreenRenderer()
        let first = renderer.frame(view.render(state))
        // When the highlight moves down one item
        _ = state.handle(.key(.down))
        let change = renderer.frame(view.render(state))
        // Then only the two item rows are rewritten
        #expect(change.count < first.count / 8)
        #expect(!text(change).contains("\u{1B}[2J"))
    }
}
