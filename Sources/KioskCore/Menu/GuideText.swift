/// The text of one catalog item's guide (办事指南), laid out for a screen: what the view
/// draws page by page and the state machine pages through. Labels come from the same
/// strings as every screen.
public enum GuideText {
    /// Rows of guide text per page.
    public static func pageRows(size: TerminalSize, elderMode: Bool) -> Int {
        max(1, size.rows - MenuLayout.firstItemRow - 5)
    }

    public static func pageCount(item: CatalogItem?, language: Language, size: TerminalSize, elderMode: Bool) -> Int {
        guard let item else { return 1 }
        let lines = lines(of: item, language: language, width: size.columns - 6, labels: nil)
        let rows = pageRows(size: size, elderMode: elderMode)
        return max(1, (lines.count + rows - 1) / rows)
    }

    /// The guide as lines no wider than `width` columns. `labels` gives the words for the
    /// headings; without it (page counting) placeholders of the same width are used.
    public static func lines(of item: CatalogItem, language: Language, width: Int, labels: Localization?) -> [String] {
        func label(_ key: String) -> String {
            guard let labels else { return "          " }
            return labels.text(key, language)
        }
        func clean(_ text: String) -> String { UntrustedText(text).sanitized }
        var lines: [String] = []
        func add(_ heading: String, _ value: String) {
            lines += wrap("\(heading)\(clean(value))", width: width, indent: heading.displayWidth)
        }
        add(label("guide.department"), item.department(language))
        let time: String
        if item.kind == .immediate {
            time = label("guide.immediate")
        } else {
            time = label("guide.promised").replacing("{days}", with: String(item.timeLimitDays))
        }
        add(label("guide.time"), time)
        add(label("guide.fee"), item.feeFen == 0 ? label("guide.free") : Money.yuan(item.feeFen))
        add(label("guide.where"), item.location(language))
        if item.zeroMaterial { lines += wrap(label("guide.zero-material"), width: width, indent: 2) }
        if item.acceptWithGaps { lines += wrap(label("guide.accept-with-gaps"), width: width, indent: 2) }
        lines.append(label("guide.materials"))
        if item.materials.isEmpty {
            lines.append("  " + label("guide.no-materials"))
        }
        for (index, material) in item.materials.enumerated() {
            let bullet = "  \(index + 1). "
            lines += wrap(bullet + clean(material(language)), width: width, indent: bullet.displayWidth)
        }
        return lines
    }

    /// Breaks `text` into lines of at most `width` columns at character boundaries
    /// (preferring spaces in Latin text); continuation lines are indented by `indent`.
    public static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        guard width > indent + 4 else { return [text.truncated(toWidth: max(1, width))] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        var lastSpace: String.Index?
        for character in text {
            let w = DisplayWidth.of(character)
            if currentWidth + w > width {
                if let space = lastSpace, space > current.startIndex {
                    let head = String(current[..<space])
                    let tail = String(current[current.index(after: space)...])
                    lines.append(head)
                    current = String(repeating: " ", count: indent) + tail
                } else {
                    lines.append(current)
                    current = String(repeating: " ", count: indent)
                }
                currentWidth = current.displayWidth
                lastSpace = nil
            }
            if character == " ", currentWidth > indent { lastSpace = current.endIndex }
            current.append(character)
            currentWidth += w
        }
        if current.contains(where: { !$0.isWhitespace }) { lines.append(current) }
        return lines
    }
}
