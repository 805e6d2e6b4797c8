/// Where things sit on the screen, shared by the view and by click handling so that a
/// touch lands on the item drawn under the finger.
public enum MenuLayout {
    /// Rows 0–2 are the title box, then a blank row, the prompt and another blank row.
    public static let firstItemRow = 6
    /// Columns covered by a home menu item, from the left border's inner edge.
    public static let itemColumns = 2..<60

    /// The home menu item drawn at `position`, if any.
    public static func homeItemIndex(at position: GridPosition, itemCount: Int) -> Int? {
        let index = position.row - firstItemRow
        guard index >= 0, index < itemCount, itemColumns.contains(position.column) else { return nil }
        return index
    }

    /// The row of the language switch line, just below the items.
    public static func languageRow(itemCount: Int) -> Int { firstItemRow + itemCount + 1 }
}
