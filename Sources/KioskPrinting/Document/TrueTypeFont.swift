import Foundation

/// A TrueType font (a .ttf, or one face of a .ttc collection) read for embedding in a
/// PDF: glyph lookup, advances, and subsets that hold only the glyphs a document uses,
/// so a page of Chinese embeds tens of kilobytes instead of the whole 5 MB font.
struct TrueTypeFont: Sendable {
    struct Table: Sendable { let offset: Int, length: Int }

    private let data: [UInt8]
    private let tables: [String: Table]
    let unitsPerEm: Int
    let numberOfGlyphs: Int
    private let longLoca: Bool
    private let numberOfHMetrics: Int
    let ascent: Int
    let descent: Int
    let boundingBox: [Int]
    /// The PostScript name, without spaces.
    let postScriptName: String
    private let cmap: CharacterMap

    struct FontError: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads face `faceIndex` of the font file at `path`.
    init(path: String, faceIndex: Int = 0) throws {
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw FontError(description: "cannot read font \(path)")
        }
        try self.init(data: [UInt8](contents), faceIndex: faceIndex)
    }

    init(data: [UInt8], faceIndex: Int = 0) throws {
        self.data = data
        var directory = 0
        if data.count >= 12, Array(data[0..<4]) == Array("ttcf".utf8) {
            let faces = Int(Self.u32(data, 8))
            guard faceIndex < faces, data.count >= 12 + 4 * faces else { throw FontError(description: "no face \(faceIndex) in the collection") }
            directory = Int(Self.u32(data, 12 + 4 * faceIndex))
        }
        guard data.count >= directory + 12 else { throw FontError(description: "not a TrueType font") }
        let count = Int(Self.u16(data, directory + 4))
        var tables: [String: Table] = [:]
        for index in 0..<count {
            let record = directory + 12 + 16 * index
            guard data.count >= record + 16 else { throw FontError(description: "truncated table directory") }
            let tag = String(decoding: data[record..<record + 4], as: UTF8.self)
            let table = Table(offset: Int(Self.u32(data, record + 8)), length: Int(Self.u32(data, record + 12)))
            guard table.offset + table.length <= data.count else { throw FontError(description: "table \(tag) out of bounds") }
            tables[tag] = table
        }
        for required in ["head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"] where tables[required] == nil {
            throw FontError(description: "no \(required) table (only TrueType outlines can be embedded)")
        }
        self.tables = tables
        let head = tables["head"]!.offset, hhea = tables["hhea"]!.offset
        unitsPerEm = Int(Self.u16(data, head + 18))
        boundingBox = [20, 22, 24, 26].map { Int(Int16(bitPattern: Self.u16(data, head + $0))) }
        longLoca = Self.u16(data, head + 50) == 1
        numberOfGlyphs = Int(Self.u16(data, tables["maxp"]!.offset + 4))
        ascent = Int(Int16(bitPattern: Self.u16(data, hhea + 4)))
        descent = Int(Int16(bitPattern: Self.u16(data, hhea + 6)))
        numberOfHMetrics = Int(Self.u16(data, hhea + 34))
        cmap = try CharacterMap(data: data, table: tables["cmap"]!)
        postScriptName = Self.postScriptName(data, tables["name"]) ?? "KioskCJK"
    }

    /// The glyph of `scalar`, 0 (.notdef) when the font has none.
    func glyph(for scalar: Unicode.Scalar) -> UInt16 { cmap.glyph(for: scalar.value) }

    /// The advance width of `glyph` in font units.
    func advance(of glyph: UInt16) -> Int {
        let hmtx = tables["hmtx"]!.offset
        let index = min(Int(glyph), numberOfHMetrics - 1)
        return Int(Self.u16(data, hmtx + 4 * index))
    }

    private func leftSideBearing(of glyph: UInt16) -> Int16 {
        let hmtx = tables["hmtx"]!.offset
        if Int(glyph) < numberOfHMetrics { return Int16(bitPattern: Self.u16(data, hmtx + 4 * Int(glyph) + 2)) }
        return Int16(bitPattern: Self.u16(data, hmtx + 4 * numberOfHMetrics + 2 * (Int(glyph) - numberOfHMetrics)))
    }

    private func glyphRange(_ glyph: UInt16) -> Range<Int> {
        let loca = tables["loca"]!.offset, glyf = tables["glyf"]!.offset
        let index = Int(glyph)
        guard index < numberOfGlyphs else { return glyf..<glyf }
        let start: Int, end: Int
        if longLoca {
            start = Int(Self.u32(data, loca + 4 * index))
            end = Int(Self.u32(data, loca + 4 * index + 4))
        } else {
            start = 2 * Int(Self.u16(data, loca + 2 * index))
            end = 2 * Int(Self.u16(data, loca + 2 * index + 2))
        }
        guard end >= start, glyf + end <= data.count else { return glyf..<glyf }
        return (glyf + start)..<(glyf + end)
    }

    /// The offsets of the component glyph ids in a composite glyph's data.
    private func componentOffsets(_ range: Range<Int>) -> [Int] {
        guard range.count > 10, Int16(bitPattern: Self.u16(data, range.lowerBound)) < 0 else { return [] }
        var offsets: [Int] = []
        var position = range.lowerBound + 10
        while position + 4 <= range.upperBound {
            let flags = Self.u16(data, position)
            offsets.append(position + 2 - range.lowerBound)
            position += 4 + (flags & 0x0001 != 0 ? 4 : 2)
            if flags & 0x0008 != 0 { position += 2 } else if flags & 0x0040 != 0 { position += 4 } else if flags & 0x0080 != 0 { position += 8 }
            guard flags & 0x0020 != 0 else { break }
        }
        return offsets
    }

    /// A font program with only `glyphs` (and the glyphs their composites use), renumbered
    /// densely from 1 (0 stays .notdef); returns it and the new number of each glyph.
    func subset(_ glyphs: Set<UInt16>) -> (font: [UInt8], newGlyph: [UInt16: UInt16]) {
        var wanted = glyphs.union([0])
        var stack = Array(wanted)
        while let glyph = stack.popLast() {
            let range = glyphRange(glyph)
            for offset in componentOffsets(range) {
                let component = Self.u16(data, range.lowerBound + offset)
                if wanted.insert(component).inserted { stack.append(component) }
            }
        }
        let order = wanted.sorted()
        var newGlyph: [UInt16: UInt16] = [:]
        for (index, glyph) in order.enumerated() { newGlyph[glyph] = UInt16(index) }

        var glyf: [UInt8] = [], loca: [UInt8] = [], hmtx: [UInt8] = []
        for glyph in order {
            Self.put32(&loca, UInt32(glyf.count))
            let range = glyphRange(glyph)
            var bytes = Array(data[range])
            for offset in componentOffsets(range) {
                let old = Self.u16(data, range.lowerBound + offset)
                let new = newGlyph[old] ?? 0
                bytes[offset] = UInt8(new >> 8)
                bytes[offset + 1] = UInt8(new & 0xFF)
            }
            glyf += bytes
            while glyf.count % 4 != 0 { glyf.append(0) }
            Self.put16(&hmtx, UInt16(advance(of: glyph)))
            Self.put16(&hmtx, UInt16(bitPattern: leftSideBearing(of: glyph)))
        }
        Self.put32(&loca, UInt32(glyf.count))

        var head = table("head"), hhea = table("hhea"), maxp = table("maxp")
        head.replaceSubrange(8..<12, with: [0, 0, 0, 0])
        head.replaceSubrange(50..<52, with: [0, 1])
        hhea.replaceSubrange(34..<36, with: [UInt8(order.count >> 8), UInt8(order.count & 0xFF)])
        maxp.replaceSubrange(4..<6, with: [UInt8(order.count >> 8), UInt8(order.count & 0xFF)])
        var out: [String: [UInt8]] = ["head": head, "hhea": hhea, "maxp": maxp, "hmtx": hmtx, "loca": loca, "glyf": glyf]
        for optional in ["cvt ", "fpgm", "prep"] where tables[optional] != nil { out[optional] = table(optional) }
        return (Self.assemble(out), newGlyph)
    }

    private func table(_ tag: String) -> [UInt8] {
        guard let table = tables[tag] else { return [] }
        return Array(data[table.offset..<table.offset + table.length])
    }

    /// An sfnt file from its tables, with the directory and checksums.
    private static func assemble(_ tables: [String: [UInt8]]) -> [UInt8] {
        let tags = tables.keys.sorted()
        var power = 1, log = 0
        while power * 2 <= tags.count { power *= 2; log += 1 }
        var font: [UInt8] = []
        put32(&font, 0x0001_0000)
        put16(&font, UInt16(tags.count))
        put16(&font, UInt16(power * 16))
        put16(&font, UInt16(log))
        put16(&font, UInt16(tags.count * 16 - power * 16))
        var offset = 12 + 16 * tags.count
        var body: [UInt8] = []
        for tag in tags {
            var bytes = tables[tag]!
            let length = bytes.count
            while bytes.count % 4 != 0 { bytes.append(0) }
            font += Array(tag.utf8)
            put32(&font, checksum(bytes))
            put32(&font, UInt32(offset))
            put32(&font, UInt32(length))
            body += bytes
            offset += bytes.count
        }
        return font + body
    }

    private static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var sum: UInt32 = 0
        var index = 0
        while index + 4 <= bytes.count {
            sum = sum &+ u32(bytes, index)
            index += 4
        }
        return sum
    }

    private static func postScriptName(_ data: [UInt8], _ table: Table?) -> String? {
        guard let table, table.length >= 6 else { return nil }
        let count = Int(u16(data, table.offset + 2)), strings = table.offset + Int(u16(data, table.offset + 4))
        for index in 0..<count {
            let record = table.offset + 6 + 12 * index
            guard record + 12 <= table.offset + table.length, u16(data, record + 6) == 6 else { continue }
            let platform = u16(data, record), length = Int(u16(data, record + 8)), start = strings + Int(u16(data, record + 10))
            guard start + length <= data.count else { continue }
            let bytes = Array(data[start..<start + length])
            let name = platform == 1 ? String(decoding: bytes, as: UTF8.self)
                : String(decoding: stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }, as: UTF16.self)
            let clean = name.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            if !clean.isEmpty { return clean }
        }
        return nil
    }

    static func u16(_ data: [UInt8], _ offset: Int) -> UInt16 {
        guard offset + 2 <= data.count else { return 0 }
        return UInt16(data[offset]) << 8 | UInt16(data[offset + 1])
    }

    static func u32(_ data: [UInt8], _ offset: Int) -> UInt32 {
        guard offset + 4 <= data.count else { return 0 }
        return UInt32(data[offset]) << 24 | UInt32(data[offset + 1]) << 16 | UInt32(data[offset + 2]) << 8 | UInt32(data[offset + 3])
    }

    static func put16(_ out: inout [UInt8], _ value: UInt16) { out += [UInt8(value >> 8), UInt8(value & 0xFF)] }
    static func put32(_ out: inout [UInt8], _ value: UInt32) {
        out += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

/// The font's Unicode character map: format 12 (full Unicode) when present, else format 4.
private struct CharacterMap: Sendable {
    private let data: [UInt8]
    private let offset: Int
    private let format: UInt16

    init(data: [UInt8], table: TrueTypeFont.Table) throws {
        self.data = data
        var best: (offset: Int, format: UInt16)?
        let count = Int(TrueTypeFont.u16(data, table.offset + 2))
        for index in 0..<count {
            let record = table.offset + 4 + 8 * index
            let platform = TrueTypeFont.u16(data, record), encoding = TrueTypeFont.u16(data, record + 2)
            let subtable = table.offset + Int(TrueTypeFont.u32(data, record + 4))
            let format = TrueTypeFont.u16(data, subtable)
            if (platform == 3 && encoding == 10 && format == 12) || (platform == 0 && format == 12) {
                best = (subtable, 12)
            } else if best == nil, (platform == 3 && encoding == 1) || platform == 0, format == 4 {
                best = (subtable, 4)
            }
        }
        guard let best else { throw TrueTypeFont.FontError(description: "no Unicode character map") }
        offset = best.offset
        format = best.format
    }

    func glyph(for code: UInt32) -> UInt16 {
        format == 12 ? format12(code) : format4(code)
    }

    private func format12(_ code: UInt32) -> UInt16 {
        let groups = Int(TrueTypeFont.u32(data, offset + 12))
        var low = 0, high = groups - 1
        while low <= high {
            let middle = (low + high) / 2
            let group = offset + 16 + 12 * middle
            let start = TrueTypeFont.u32(data, group), end = TrueTypeFont.u32(data, group + 4)
            if code < start { high = middle - 1 } else if code > end { low = middle + 1 } else {
                return UInt16(truncatingIfNeeded: TrueTypeFont.u32(data, group + 8) + code - start)
            }
        }
        return 0
    }

    private func format4(_ code: UInt32) -> UInt16 {
        guard code <= 0xFFFF else { return 0 }
        let segments = Int(TrueTypeFont.u16(data, offset + 6)) / 2
        let ends = offset + 14, starts = ends + 2 * segments + 2
        let deltas = starts + 2 * segments, rangeOffsets = deltas + 2 * segments
        for segment in 0..<segments where UInt32(TrueTypeFont.u16(data, ends + 2 * segment)) >= code {
            let start = UInt32(TrueTypeFont.u16(data, starts + 2 * segment))
            guard code >= start else { return 0 }
            let delta = TrueTypeFont.u16(data, deltas + 2 * segment)
            let rangeOffset = Int(TrueTypeFont.u16(data, rangeOffsets + 2 * segment))
            if rangeOffset == 0 { return UInt16(truncatingIfNeeded: code) &+ delta }
            let address = rangeOffsets + 2 * segment + rangeOffset + 2 * Int(code - start)
            let glyph = TrueTypeFont.u16(data, address)
            return glyph == 0 ? 0 : glyph &+ delta
        }
        return 0
    }
}
