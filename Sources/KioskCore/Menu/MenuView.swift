/// Draws a menu state as a text grid. Pure: the same state, size and strings always give
/// the same grid.
public struct MenuView: Sendable {
    public let localization: Localization
    /// The terminal's name, shown in the title bar so a technician can tell screens apart.
    public let terminalName: String

    public init(localization: Localization, terminalName: String) {
        self.localization = localization
        self.terminalName = terminalName
    }

    public func render(_ state: MenuState, size: TerminalSize) -> TextGrid {
        var grid = TextGrid(size: size)
        let language = state.language
        switch state.screen {
        case .attract:
            drawAttract(into: &grid)
        case .home:
            drawFrame(into: &grid, title: text("home.title", language), footer: text("home.footer", language))
            drawHome(state, into: &grid)
        case .service(let item):
            drawFrame(into: &grid, title: text(item.titleKey, language), footer: text("service.footer", language))
            drawPlaceholder(item, language: language, into: &grid)
        }
        return grid
    }

    private func text(_ key: String, _ language: Language) -> String {
        localization.text(key, language)
    }

    /// A box around the screen with a title bar and a footer line.
    private func drawFrame(into grid: inout TextGrid, title: String, footer: String) {
        let width = grid.size.columns
        let bottom = grid.size.rows - 1
        let inner = width - 2
        grid.put("┌" + String(repeating: "─", count: inner) + "┐", row: 0, column: 0)
        grid.put("├" + String(repeating: "─", count: inner) + "┤", row: 2, column: 0)
        grid.put("├" + String(repeating: "─", count: inner) + "┤", row: bottom - 2, column: 0)
        grid.put("└" + String(repeating: "─", count: inner) + "┘", row: bottom, column: 0)
        for row in 1..<bottom where row != 2 && row != bottom - 2 {
            grid.put("│", row: row, column: 0)
            grid.put("│", row: row, column: width - 1)
        }
        let name = UntrustedText(terminalName).sanitized.truncated(toWidth: 20)
        let nameColumn = width - 2 - name.displayWidth
        grid.put(title, row: 1, column: 2, style: CellStyle(bold: true), limit: nameColumn - 3)
        grid.put(name, row: 1, column: nameColumn, style: CellStyle(dim: true))
        grid.put(footer, row: bottom - 1, column: 2, limit: inner - 2)
    }

    private func drawHome(_ state: MenuState, into grid: inout TextGrid) {
        let language = state.language
        let labelWidth = 16
        let limit = grid.size.columns - 4
        grid.put(text("home.prompt", language), row: 4, column: 3, limit: limit - 1)
        for (index, item) in state.items.enumerated() {
            let row = MenuLayout.firstItemRow + index
            let selected = index == state.selection
            let marker = selected ? "▶" : " "
            let title = text(item.titleKey, language)
            var line = "\(marker) \(index + 1)  "
            if language == .chinese {
                // Chinese first, the English label aligned in a second column.
                line += title.padded(toWidth: labelWidth) + "  " + text(item.titleKey, .english)
            } else {
                line += title
            }
            let style = selected ? CellStyle(bold: true, inverse: true) : .plain
            let end = grid.put(line, row: row, column: MenuLayout.itemColumns.lowerBound + 1, style: style, limit: limit)
            if selected {
                // The highlight spans the whole item so it reads as a bar, not a word.
                let barEnd = MenuLayout.itemColumns.upperBound
                if end < barEnd { grid.fill(row: row, column: end, count: barEnd - end, style: style) }
            }
        }
        let languageLine = "  \(Self.languageDigitLabel)  " + text("home.language", language)
        grid.put(languageLine, row: MenuLayout.languageRow(itemCount: state.items.count), column: 3, limit: limit)
    }

    private static let languageDigitLabel = String(MenuState.languageDigit)

    private func drawPlaceholder(_ item: ServiceItem, language: Language, into grid: inout TextGrid) {
        let limit = grid.size.columns - 6
        grid.put(text("service.coming-soon", language), row: 5, column: 4, limit: limit)
        if language == .chinese {
            grid.put(text("service.coming-soon", .english), row: 6, column: 4, style: CellStyle(dim: true), limit: limit)
        }
        grid.put(text("service.back-hint", language), row: 8, column: 4, limit: limit)
    }

    private func drawAttract(into grid: inout TextGrid) {
        let lines: [(String, CellStyle)] = [
            (text("attract.welcome", .chinese), CellStyle(bold: true)),
            (text("attract.welcome", .english), .plain),
            ("", .plain),
            (text("attract.start", .chinese), .plain),
            (text("attract.start", .english), CellStyle(dim: true)),
        ]
        let top = max(0, (grid.size.rows - lines.count) / 2)
        for (offset, (line, style)) in lines.enumerated() where !line.isEmpty {
            let width = min(line.displayWidth, grid.size.columns)
            let column = max(0, (grid.size.columns - width) / 2)
            grid.put(line, row: top + offset, column: column, style: style)
        }
    }
}
