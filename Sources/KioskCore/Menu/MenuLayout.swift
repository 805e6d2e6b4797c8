/// Where things sit on the screen, shared by the view and by the state machine so that a
/// touch lands on the entry drawn under the finger and paging matches what is drawn.
public enum MenuLayout {
    /// Rows 0–2 are the title box, then a blank row, the prompt and another blank row.
    public static let firstItemRow = 6
    /// Columns covered by a list entry.
    public static let itemColumns = 2..<70

    /// How many entries a list shows per page: at most 9 (one digit each), 5 in elder
    /// mode, fewer on a short screen.
    public static func pageCapacity(size: TerminalSize, elderMode: Bool) -> Int {
        let bodyRows = size.rows - firstItemRow - 6
        return elderMode ? max(1, min(5, bodyRows / 2)) : max(1, min(9, bodyRows))
    }

    /// Rows between entries: elder mode leaves a blank row after each.
    public static func rowStep(elderMode: Bool) -> Int { elderMode ? 2 : 1 }

    /// The row of the `indexOnPage`-th entry.
    public static func entryRow(_ indexOnPage: Int, elderMode: Bool) -> Int {
        firstItemRow + indexOnPage * rowStep(elderMode: elderMode)
    }

    /// The entry on the page drawn at `position` (the terminal's cell, as a touch reports
    /// it), if any. A large entry is a double-height line over its row and the blank row
    /// after it, so a touch on either half chooses it.
    public static func entryIndex(at position: GridPosition, count: Int, elderMode: Bool, large: Bool = false) -> Int? {
        let offset = position.row - firstItemRow
        let step = rowStep(elderMode: elderMode)
        let onEntry = offset % step == 0 || (large && offset % step == 1)
        guard offset >= 0, onEntry, itemColumns.contains(position.column) else { return nil }
        let index = offset / step
        return index < count ? index : nil
    }

    /// The row below the entries for page numbers and the home menu's extra lines.
    public static func footerRow(capacity: Int, elderMode: Bool) -> Int {
        entryRow(capacity, elderMode: elderMode)
    }

    /// How many pages `count` entries take.
    public static func pageCount(_ count: Int, capacity: Int) -> Int {
        max(1, (count + capacity - 1) / capacity)
    }
}
