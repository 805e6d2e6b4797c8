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
        if value < 0x1_0000 { return Int(basicPlane[Int(value)] & widthBits) }
        return computedWidth(value)
    }

    /// One byte for each scalar of the Basic Multilingual Plane: its width in the low two
    /// bits, and `standaloneBit` when it stands alone. Made once (64 KiB) from the tables,
    /// so that measuring and drawing text is a lookup per scalar, not two binary searches.
    private static let basicPlane: [UInt8] = (0..<UInt32(0x1_0000)).map { value in
        UInt8(computedWidth(value)) | (contains(standaloneRanges, value) || (value >= 0x20 && value < 0x7F) ? standaloneBit : 0)
    }
    private static let widthBits: UInt8 = 0b011
    private static let standaloneBit: UInt8 = 0b100

    private static func computedWidth(_ value: UInt32) -> Int {
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
        if let width = ofStandaloneScalars(string) { return width }
        var total = 0
        for character in string { total += of(character) }
        return total
    }

    /// The width of `text` when each of its scalars is a grapheme on its own whatever its
    /// neighbours (ASCII, Latin, CJK ideographs and punctuation, box drawing, blocks and
    /// the other common symbols; see `standsAlone`) and has a width; nil otherwise, when
    /// the text has to be read as graphemes. This is the fast path of drawing: it needs
    /// no grapheme breaking.
    public static func ofStandaloneScalars(_ text: some StringProtocol) -> Int? {
        var total = 0
        for byte in text.utf8 {
            guard byte >= 0x20, byte < 0x7F else { total = -1; break }
            total += 1
        }
        if total >= 0 { return total }
        total = 0
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x1_0000 {
                let info = basicPlane[Int(value)]
                guard info & standaloneBit != 0, info & widthBits != 0 else { return nil }
                total += Int(info & widthBits)
            } else {
                guard contains(standaloneRanges, value) else { return nil }
                let width = computedWidth(value)
                guard width > 0 else { return nil }
                total += width
            }
        }
        return total
    }

    /// Whether the scalar's grapheme-break property is "Other": it never joins the
    /// scalar before or after it into one grapheme (no mark, joiner, selector, control,
    /// Hangul jamo, regional indicator or prepended sign), so a string of such scalars has
    /// one grapheme per scalar. A whitelist of common ranges; a test checks each of its
    /// scalars against the standard library's grapheme breaking.
    public static func standsAlone(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x1_0000 { return basicPlane[Int(value)] & standaloneBit != 0 }
        return contains(standaloneRanges, value)
    }

    /// Ranges of scalars with grapheme-break property Other, sorted.
    public static let standaloneRanges: [ClosedRange<UInt32>] = [
        0x00A0...0x00AC, 0x00AE...0x02FF,  // Latin-1 and Latin extended (not U+00AD, a format control)
        0x0370...0x0482,  // Greek and Cyrillic letters (not their combining marks)
        0x2010...0x2027, 0x2030...0x205E,  // dashes, quotes, bullets, ellipsis, primes
        0x20A0...0x20C0,  // currency signs
        0x2100...0x2BFF,  // letterlike, arrows, maths, technical, box drawing, blocks, shapes, dingbats
        0x3000...0x3029, 0x3030...0x303F,  // CJK punctuation (not the tone marks U+302A–U+302F)
        0x3041...0x3096, 0x309B...0x30FF,  // kana (not the combining sound marks)
        0x3105...0x312F,  // bopomofo
        0x3200...0x9FFF,  // enclosed CJK, CJK compatibility, extension A, unified ideographs
        0xF900...0xFAFF,  // CJK compatibility ideographs
        0xFE30...0xFE6F,  // CJK compatibility and small forms
        0xFF01...0xFF9D, 0xFFE0...0xFFEE,  // full-width and half-width forms (not the sound marks)
        0x20000...0x3134F,  // CJK extensions B to G
    ]

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
