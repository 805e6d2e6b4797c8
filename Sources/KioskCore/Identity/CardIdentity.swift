/// Who a resident ID card says its holder is: the text block of a read (`30 01`), 256
/// bytes of UTF-16LE in fixed fields. The photo that follows it is never kept.
///
/// It is personal data: it fills forms and proves the person for lookups in one session,
/// and is masked wherever it is shown.
public struct CardIdentity: Sendable, Hashable {
    public var name: String
    /// "1" male, "2" female, as on the card.
    public var sex: String
    /// The ethnic group's two-digit code (01 汉).
    public var ethnicity: String
    public var birthDate: CalendarDate
    public var address: String
    public var idNumber: String
    public var authority: String
    /// YYYYMMDD, and the end YYYYMMDD or 长期.
    public var validFrom: String
    public var validUntil: String

    public init(
        name: String, sex: String, ethnicity: String, birthDate: CalendarDate, address: String, idNumber: String,
        authority: String, validFrom: String, validUntil: String
    ) {
        self.name = name
        self.sex = sex
        self.ethnicity = ethnicity
        self.birthDate = birthDate
        self.address = address
        self.idNumber = idNumber
        self.authority = authority
        self.validFrom = validFrom
        self.validUntil = validUntil
    }

    /// The fields of the text block: (characters, in UTF-16 code units).
    static let layout = [15, 1, 2, 8, 35, 18, 15, 8, 8]
    public static let textLength = 256

    /// The identity in a read's data (text length and photo length, two bytes each, big
    /// endian, then the text and the photo); nil when the text is short, not UTF-16, or
    /// holds no valid ID number (a card read half-way, or not a resident ID card).
    public init?(readData data: [UInt8], today: CalendarDate) {
        guard data.count >= 4 else { return nil }
        let textLength = Int(data[0]) << 8 | Int(data[1])
        guard textLength >= Self.layout.reduce(0, +) * 2, data.count >= 4 + textLength else { return nil }
        self.init(textBlock: Array(data[4..<(4 + textLength)]), today: today)
    }

    /// The identity in a text block; nil as for `init(readData:today:)`.
    public init?(textBlock: [UInt8], today: CalendarDate) {
        var fields: [String] = []
        var offset = 0
        for characters in Self.layout {
            let end = offset + characters * 2
            guard end <= textBlock.count else { return nil }
            var units: [UInt16] = []
            for index in stride(from: offset, to: end, by: 2) {
                units.append(UInt16(textBlock[index]) | UInt16(textBlock[index + 1]) << 8)
            }
            guard let text = String(validating: units, as: UTF16.self) else { return nil }
            let padding: Set<Character> = [" ", "\u{3000}"]
            let clean = UntrustedText(text).sanitized
            fields.append(String(clean.drop(while: padding.contains).reversed().drop(while: padding.contains).reversed()))
            offset = end
        }
        guard case .success(let id) = ResidentID.validate(fields[5], today: today),
              let birth = CalendarDate(parsing: fields[3]),
              !fields[0].isEmpty
        else { return nil }
        self.init(
            name: fields[0], sex: fields[1], ethnicity: fields[2], birthDate: birth, address: fields[4], idNumber: id.value,
            authority: fields[6], validFrom: fields[7], validUntil: fields[8]
        )
    }

    /// The text block for this identity, as a reader sends it (for simulated readers).
    public var textBlock: [UInt8] {
        let values = [name, sex, ethnicity, Self.compact(birthDate), address, idNumber, authority, validFrom, validUntil]
        var bytes: [UInt8] = []
        for (value, characters) in zip(values, Self.layout) {
            var units = Array(value.utf16.prefix(characters))
            units += Array(repeating: 0x20, count: characters - units.count)
            for unit in units { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        }
        return bytes + Array(repeating: 0x20, count: Self.textLength - bytes.count)
    }

    private static func compact(_ date: CalendarDate) -> String {
        date.description.filter { $0 != "-" }
    }

    /// How it is shown: the name and the ID masked.
    public var masked: String { "\(Masking.name(name)) \(Masking.idNumber(idNumber))" }
}
