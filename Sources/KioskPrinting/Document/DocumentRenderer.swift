import Foundation
import KioskCore

/// Turns a document into an A4 PDF with the CJK font embedded (as a subset), so Chinese
/// prints as Chinese on any printer CUPS drives, and the text stays extractable
/// (a ToUnicode map: `pdftotext` reads it back).
public struct DocumentRenderer: Sendable {
    private let font: TrueTypeFont

    /// Page geometry in points: A4, 2 cm margins.
    static let pageWidth = 595.28, pageHeight = 841.89, margin = 56.0
    static let bodySize = 11.0, headingSize = 16.0

    public struct FontError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Loads face `faceIndex` of the TrueType font (or collection) at `fontPath`.
    public init(fontPath: String, faceIndex: Int = 0) throws(FontError) {
        do {
            font = try TrueTypeFont(path: fontPath, faceIndex: faceIndex)
        } catch {
            throw FontError(description: String(describing: error))
        }
    }

    /// The PDF bytes of `document`.
    public func render(_ document: PrintDocument) -> [UInt8] {
        let usable = Self.pageWidth - 2 * Self.margin
        // Columns of the body text: a Chinese character is one em, Latin half an em (the
        // mono face), and wrapping counts display width the same way.
        let bodyColumns = Int(usable / (Self.bodySize / 2))
        let headingColumns = Int(usable / (Self.headingSize / 2))

        struct Line { var text: String; var size: Double; var centered: Bool; var bold: Bool; var rule: Bool }
        var lines: [Line] = []
        for block in document.blocks {
            switch block {
            case .heading(let text), .reprintMark(let text):
                for line in GuideText.wrap(text, width: headingColumns, indent: 0) {
                    lines.append(Line(text: line, size: Self.headingSize, centered: true, bold: true, rule: false))
                }
            case .centered(let text):
                for line in GuideText.wrap(text, width: bodyColumns, indent: 0) {
                    lines.append(Line(text: line, size: Self.bodySize, centered: true, bold: false, rule: false))
                }
            case .line(let text), .qrCode(let text):
                for line in GuideText.wrap(text, width: bodyColumns, indent: 0) {
                    lines.append(Line(text: line, size: Self.bodySize, centered: false, bold: false, rule: false))
                }
            case .rule:
                lines.append(Line(text: "", size: Self.bodySize, centered: false, bold: false, rule: true))
            case .blank:
                lines.append(Line(text: "", size: Self.bodySize, centered: false, bold: false, rule: false))
            }
        }

        // Glyphs used, then the subset and the new glyph numbers.
        var used: Set<UInt16> = []
        var unicodeOf: [UInt16: Unicode.Scalar] = [:]
        for line in lines {
            for scalar in line.text.unicodeScalars {
                let glyph = font.glyph(for: scalar)
                used.insert(glyph)
                if glyph != 0, unicodeOf[glyph] == nil { unicodeOf[glyph] = scalar }
            }
        }
        let (program, newGlyph) = font.subset(used)
        let scale = 1000.0 / Double(font.unitsPerEm)

        // Content streams, one per page.
        var pages: [String] = []
        var content = ""
        var y = Self.pageHeight - Self.margin
        for line in lines {
            let leading = line.size * 1.5
            if y - leading < Self.margin {
                pages.append(content)
                content = ""
                y = Self.pageHeight - Self.margin
            }
            y -= leading
            if line.rule {
                content += "0.5 w \(Self.number(Self.margin)) \(Self.number(y + line.size / 2)) m "
                    + "\(Self.number(Self.pageWidth - Self.margin)) \(Self.number(y + line.size / 2)) l S\n"
                continue
            }
            guard !line.text.isEmpty else { continue }
            var hex = ""
            var width = 0
            for scalar in line.text.unicodeScalars {
                let glyph = font.glyph(for: scalar)
                width += font.advance(of: glyph)
                hex += Self.hex4(newGlyph[glyph] ?? 0)
            }
            let textWidth = Double(width) * line.size / Double(font.unitsPerEm)
            let x = line.centered ? max(Self.margin, (Self.pageWidth - textWidth) / 2) : Self.margin
            let render = line.bold ? "2 Tr 0.35 w " : "0 Tr "
            content += "BT \(render)/F1 \(Self.number(line.size)) Tf \(Self.number(x)) \(Self.number(y)) Td <\(hex)> Tj ET\n"
        }
        pages.append(content)

        // Widths of the subset, in glyph order.
        let order = newGlyph.sorted { $0.value < $1.value }
        let widths = order.map { String(Int((Double(font.advance(of: $0.key)) * scale).rounded())) }.joined(separator: " ")
        let tag = Self.subsetTag(used)
        let name = "\(tag)+\(font.postScriptName)"

        var writer = PDFWriter()
        let catalog = writer.reserve(), pagesObject = writer.reserve(), type0 = writer.reserve()
        let cidFont = writer.reserve(), descriptor = writer.reserve(), fontFile = writer.reserve(), toUnicode = writer.reserve()
        var pageObjects: [Int] = []
        for page in pages {
            let stream = writer.add(stream: Array(page.utf8), dictionary: "")
            let pageObject = writer.add("<< /Type /Page /Parent \(pagesObject) 0 R /MediaBox [0 0 \(Self.number(Self.pageWidth)) \(Self.number(Self.pageHeight))] "
                + "/Resources << /Font << /F1 \(type0) 0 R >> >> /Contents \(stream) 0 R >>")
            pageObjects.append(pageObject)
        }
        writer.set(catalog, "<< /Type /Catalog /Pages \(pagesObject) 0 R >>")
        writer.set(pagesObject, "<< /Type /Pages /Kids [\(pageObjects.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(pageObjects.count) >>")
        writer.set(type0, "<< /Type /Font /Subtype /Type0 /BaseFont /\(name) /Encoding /Identity-H "
            + "/DescendantFonts [\(cidFont) 0 R] /ToUnicode \(toUnicode) 0 R >>")
        writer.set(cidFont, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /\(name) "
            + "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            + "/FontDescriptor \(descriptor) 0 R /CIDToGIDMap /Identity /DW 1000 /W [0 [\(widths)]] >>")
        let box = font.boundingBox.map { String(Int((Double($0) * scale).rounded())) }.joined(separator: " ")
        let ascent = Int((Double(font.ascent) * scale).rounded()), descent = Int((Double(font.descent) * scale).rounded())
        writer.set(descriptor, "<< /Type /FontDescriptor /FontName /\(name) /Flags 4 /FontBBox [\(box)] /ItalicAngle 0 "
            + "/Ascent \(ascent) /Descent \(descent) /CapHeight \(ascent) /StemV 80 /FontFile2 \(fontFile) 0 R >>")
        writer.set(fontFile, stream: program, dictionary: "/Length1 \(program.count)")
        writer.set(toUnicode, stream: Array(Self.toUnicodeMap(order.compactMap { entry in
            unicodeOf[entry.key].map { (entry.value, $0) }
        }).utf8), dictionary: "")
        return writer.finish(root: catalog)
    }

    /// The CMap that maps each glyph of the subset back to its character.
    static func toUnicodeMap(_ pairs: [(UInt16, Unicode.Scalar)]) -> String {
        var text = """
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """
        for start in stride(from: 0, to: pairs.count, by: 100) {
            let chunk = pairs[start..<min(start + 100, pairs.count)]
            text += "\(chunk.count) beginbfchar\n"
            for (glyph, scalar) in chunk {
                text += "<\(hex4(glyph))> <\(String(scalar).utf16.map { hex4($0) }.joined())>\n"
            }
            text += "endbfchar\n"
        }
        text += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        return text
    }

    static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    static func number(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    /// Six capital letters naming the subset, as PDF asks of subset fonts.
    static func subsetTag(_ glyphs: Set<UInt16>) -> String {
        var hash: UInt32 = 2_166_136_261
        for glyph in glyphs.sorted() { hash = (hash ^ UInt32(glyph)) &* 16_777_619 }
        return String((0..<6).map { index in Character(Unicode.Scalar(UInt8(65 + (hash >> (index * 5)) % 26))) })
    }
}

/// Collects PDF objects and writes the file with its cross-reference table.
struct PDFWriter {
    private var objects: [Int: [UInt8]] = [:]
    private var count = 0

    mutating func reserve() -> Int {
        count += 1
        return count
    }

    mutating func add(_ dictionary: String) -> Int {
        let number = reserve()
        set(number, dictionary)
        return number
    }

    mutating func add(stream: [UInt8], dictionary: String) -> Int {
        let number = reserve()
        set(number, stream: stream, dictionary: dictionary)
        return number
    }

    mutating func set(_ number: Int, _ dictionary: String) {
        objects[number] = Array("\(number) 0 obj\n\(dictionary)\nendobj\n".utf8)
    }

    mutating func set(_ number: Int, stream: [UInt8], dictionary: String) {
        objects[number] = Array("\(number) 0 obj\n<< /Length \(stream.count) \(dictionary) >>\nstream\n".utf8)
            + stream + Array("\nendstream\nendobj\n".utf8)
    }

    func finish(root: Int) -> [UInt8] {
        var file: [UInt8] = Array("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for number in 1...count {
            offsets.append(file.count)
            file += objects[number] ?? Array("\(number) 0 obj\nnull\nendobj\n".utf8)
        }
        let xref = file.count
        var table = "xref\n0 \(count + 1)\n0000000000 65535 f \n"
        for offset in offsets {
            let digits = String(offset)
            table += String(repeating: "0", count: 10 - digits.count) + digits + " 00000 n \n"
        }
        table += "trailer\n<< /Size \(count + 1) /Root \(root) 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return file + Array(table.utf8)
    }
}
