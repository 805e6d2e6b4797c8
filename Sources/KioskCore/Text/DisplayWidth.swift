/// Column widths of text on a character-cell terminal.
///
/// The table is generated from the Unicode Character Database
/// (`scripts/generate-width-table.py`) so that the layout is the same on every machine,
/// whatever the C library's `wcwidth` or the locale says.
public enum DisplayWidth {
    /// The number of columns a scalar occupies on its own: 0, 1 or 2.
    /// Control characters count as 0: they are stripped before anything is drawn.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        if value < 0x300 { return 1 }
        if contains(zeroWidthRanges, value) { return 0 }
        if contains(doubleWidthRanges, value) { return 2 }
        return 1
    }

    /// The number of columns a grapheme cluster occupies: the width of its base
    /// scalar, widened to 2 when an emoji presentation selector (U+FE0F) follows it or
    /// when it is an emoji ZWJ or flag sequence.
    public static func of(_ character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        var width = of(first)
        if width == 0 {
            // A cluster starting with a mark (after stripping) still needs a column.
            width = scalars.contains(where: { of($0) > 0 }) ? 1 : 0
        }
        if width == 1, scalars.count > 1 {
            if scalars.contains(where: { $0.value == 0xFE0F || $0.value == 0x200D }) { width = 2 }
            if (0x1F1E6...0x1F1FF).contains(first.value) { width = 2 }
        }
        return width
    }

    /// The number of columns a string occupies.
    public static func of(_ string: some StringProtocol) -> Int {
        var total = 0
        for character in string { total += of(character) }
        return total
    }

    private static func contains(_ ranges: [ClosedRange<UInt32>], _ value: UInt32) -> Bool {
        var low = 0
        var high = ranges.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let range = ranges[middle]
            if value < range.lowerBound {
                high = middle - 1
            } else if value > range.upperBound {
                low = middle + 1
            } else {
                return true
            }
        }
        return false
    }
}

extension StringProtocol {
    /// The columns this text occupies on a terminal.
    public var displayWidth: Int { DisplayWidth.of(self) }

    /// This text cut to at most `width` columns, never through a wide character;
    /// when it had to be cut, the last column holds an ellipsis.
    public func truncated(toWidth width: Int, ellipsis: Character = "…") -> String {
        guard width > 0 else { return "" }
        if DisplayWidth.of(self) <= width { return String(self) }
        let budget = width - DisplayWidth.of(ellipsis)
        var result = ""
        var used = 0
        for character in self {
            let w = DisplayWidth.of(character)
            if used + w > budget { break }
            result.append(character)
            used += w
        }
        result.append(ellipsis)
        return result
    }

    /// This text padded with spaces to exactly `width` columns (truncated when longer).
    public func padded(toWidth width: Int) -> String {
        let text = truncated(toWidth: width)
        let missing = width - DisplayWidth.of(text)
        return missing > 0 ? text + String(repeating: " ", count: missing) : text
    }
}
