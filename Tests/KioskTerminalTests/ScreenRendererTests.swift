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

    @Test("A double-height line is sent as its two DEC halves, counted in double-width cells")
    func doubleHeightLine() {
        // Given a grid whose first two rows are one double-height line
        var grid = TextGrid(size: size)
        grid.makeDoubleHeight(top: 0)
        grid.put("ab", row: 0, column: 0)
        var renderer = ScreenRenderer()
        // When it is drawn first, then one cell changes at the line's last column
        let first = text(renderer.frame(grid))
        grid.put("X", row: 0, column: 4)
        let change = text(renderer.frame(grid))
        // Then each half gets its attribute and the text, and the change addresses
        // column 5 of 5 on both halves
        #expect(first == "\u{1B}[0m\u{1B}[H\u{1B}[2J\u{1B}#3ab\r\n\u{1B}#4ab")
        #expect(change == "\u{1B}[1;5HX\u{1B}[2;5HX")
    }

    @Test("A line going back to single size is erased, made single and redrawn")
    func backToSingle() {
        // Given a double-height line on the terminal
        var large = TextGrid(size: size)
        large.makeDoubleHeight(top: 0)
        large.put("abcd", row: 0, column: 0)
        var renderer = ScreenRenderer()
        _ = renderer.frame(large)
        // When the next frame has normal lines there
        var normal = TextGrid(size: size)
        normal.put("ab", row: 0, column: 0)
        // Then each row is erased and set single, and only its own text is written
        #expect(text(renderer.frame(normal)) == "\u{1B}[1H\u{1B}[2K\u{1B}#5ab\r\n\u{1B}[2K\u{1B}#5")
    }

    @Test("After a clear, large lines are sent again and a formerly large line is made single")
    func sizesAfterInvalidate() {
        // Given a double-width first row on the terminal
        var before = TextGrid(size: size)
        before.setLineSize(.doubleWidth, row: 0)
        before.put("a", row: 0, column: 0)
        var renderer = ScreenRenderer()
        _ = renderer.frame(before)
        // When the renderer forgets the screen and draws a frame with the second row large
        renderer.invalidate()
        var after = TextGrid(size: size)
        after.put("c", row: 0, column: 0)
        after.setLineSize(.doubleWidth, row: 1)
        after.put("b", row: 1, column: 0)
        // Then the clear is followed by an explicit single size for the first row (an
        // emulator may keep line sizes through a clear) and the double width for the second
        #expect(text(renderer.frame(after)) == "\u{1B}[0m\u{1B}[H\u{1B}[2J\u{1B}#5c\r\n\u{1B}#6b")
    }

    @Test("Elder mode's large lines look the same in an independent emulator, frame after frame")
    func largeLinesInEmulator() async throws {
        // Given the real menu on a terminal that draws DEC double-size lines
        let view = MenuView(localization: try Localization.shipped(), terminalName: "hall-1")
        let context = MenuContext(catalog: try Catalog.shipped(), doubleSizeLines: true)
        var state = MenuState(profile: .citizen)
        var renderer = ScreenRenderer(options: RenderOptions(doubleSizeLines: true))
        var sent: [UInt8] = []
        // When a citizen enters, turns elder mode on, moves, opens the guide, goes to a
        // stage, comes back home and turns elder mode off
        let keys: [Key] = [.enter, .character(MenuState.elderDigit), .down, .down, .character("1"), .character("2"),
                           .character("0"), .character(MenuState.elderDigit), .character(MenuState.elderDigit)]
        for key in keys {
            _ = state.handle(.key(key), context: context)
            let grid = view.render(state, context: context)
            sent += renderer.frame(grid)
            // Then after every frame pyte shows exactly the grid, line sizes included,
            // with nothing written past the half of a double-size row
            let screen = try await ScreenEmulator.screen(after: sent)
            #expect(screen.lines == grid.lines, "after \(key)")
            #expect(screen.lineSizes == grid.lineSizes.map(Self.name), "after \(key)")
            #expect(screen.overflow.isEmpty, "after \(key)")
        }
        #expect(state.elderMode)
    }

    static func name(_ size: LineSize) -> String {
        switch size {
        case .single: "single"
        case .doubleWidth: "double-width"
        case .doubleHeightTop: "double-height-top"
        case .doubleHeightBottom: "double-height-bottom"
        }
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
