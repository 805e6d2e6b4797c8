extension MenuView {
    /// 暂停服务, in both languages, with the reason and whom to ask: drawn instead of any
    /// screen while the kiosk cannot store what a citizen would hand it.
    func drawOutOfService(into grid: inout TextGrid) {
        let lines: [(String, CellStyle)] = [
            (text("storage.full.title", .chinese), CellStyle(bold: true)),
            (text("storage.full.title", .english), .plain),
            ("", .plain),
            (text("storage.full.reason", .chinese), .plain),
            (text("storage.full.reason", .english), CellStyle(dim: true)),
            ("", .plain),
            (text("storage.full.help", .chinese), .plain),
            (text("storage.full.help", .english), CellStyle(dim: true)),
        ]
        let top = max(0, (grid.size.rows - lines.count) / 2)
        for (offset, (line, style)) in lines.enumerated() where !line.isEmpty {
            let width = min(line.displayWidth, grid.size.columns)
            let column = max(0, (grid.size.columns - width) / 2)
            grid.put(line, row: top + offset, column: column, style: style, limit: grid.size.columns)
        }
    }
}
