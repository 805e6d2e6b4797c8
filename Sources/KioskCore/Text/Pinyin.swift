/// Pinyin spellings of Chinese text, as typed on a plain keyboard without an input method:
/// toneless, ü as v (`lv`), from Unihan's kMandarin readings (`Pinyin+Table.swift`, made
/// by `make pinyin-table`). 公积金 is spelled `gongjijin`, its initials `gjj`. A character
/// with two common readings (行: xing, hang) gives both spellings.
public enum Pinyin {
    /// The table as bytes, decoded once.
    private static let bytes: [UInt8] = Array(codes.utf8)
    private static let digitValues: [UInt8] = {
        var values = [UInt8](repeating: 0, count: 128)
        for (index, byte) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            values[Int(byte)] = UInt8(index)
        }
        return values
    }()

    /// The toneless readings of `scalar`, the customary one first; empty for anything but
    /// a CJK unified ideograph the table knows.
    public static func readings(of scalar: Unicode.Scalar) -> [String] {
        guard scalar.value >= first, scalar.value <= last else { return [] }
        let offset = Int(scalar.value - first) * 4
        var result: [String] = []
        for pair in [offset, offset + 2] {
            let index = Int(digitValues[Int(bytes[pair])]) * 64 + Int(digitValues[Int(bytes[pair + 1])])
            if index > 0 { result.append(syllables[index - 1]) }
        }
        return result
    }

    /// The full spellings and the initials of `text` (letters and digits kept as they are,
    /// lower-cased; other characters dropped), every combination of readings up to `limit`.
    public static func spellings(of text: String, limit: Int = 16) -> (full: Set<String>, initials: Set<String>) {
        var full: [String] = [""]
        var initials: [String] = [""]
        for scalar in text.unicodeScalars {
            let options = readings(of: scalar)
            if options.isEmpty {
                guard scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) else { continue }
                let plain = String(scalar).lowercased()
                full = full.map { $0 + plain }
                initials = initials.map { $0 + plain }
                continue
            }
            full = Array(full.flatMap { prefix in options.map { prefix + $0 } }.prefix(limit))
            initials = Array(initials.flatMap { prefix in options.map { prefix + String($0.prefix(1)) } }.prefix(limit))
        }
        return (Set(full), Set(initials))
    }
}
