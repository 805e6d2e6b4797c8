/// A resident identity card number (居民身份证号码) checked against GB 11643-1999: 17
/// digits and a MOD 11-2 check character, a birth date that exists and is not in the
/// future, and a province-level region code that exists.
public struct ResidentID: Sendable, Hashable, CustomStringConvertible {
    /// The 18 characters, with a lowercase x made uppercase.
    public let value: String

    /// Why a number is not a resident ID.
    public struct Problem: Error, Hashable, Sendable {
        private enum Kind: Hashable, Sendable { case length, characters, region, birthDate, checkDigit }
        private let kind: Kind
        public static let length = Problem(kind: .length)
        public static let characters = Problem(kind: .characters)
        public static let region = Problem(kind: .region)
        public static let birthDate = Problem(kind: .birthDate)
        public static let checkDigit = Problem(kind: .checkDigit)

        /// The localization key of the message shown next to the field.
        public var messageKey: String {
            switch kind {
            case .length: "form.error.id.length"
            case .characters: "form.error.id.characters"
            case .region: "form.error.id.region"
            case .birthDate: "form.error.id.birth"
            case .checkDigit: "form.error.id.check"
            }
        }
    }

    /// Checks `text`; `today` (yyyymmdd) bounds the birth date.
    public static func validate(_ text: String, today: CalendarDate) -> Result<ResidentID, Problem> {
        let characters = Array(text.uppercased().unicodeScalars)
        guard characters.count == 18 else { return .failure(.length) }
        var digits: [Int] = []
        for scalar in characters.prefix(17) {
            guard let digit = scalar.asciiDigit else { return .failure(.characters) }
            digits.append(digit)
        }
        let last = characters[17]
        guard last.asciiDigit != nil || last == "X" else { return .failure(.characters) }
        guard provinceCodes.contains(digits[0] * 10 + digits[1]) else { return .failure(.region) }
        let year = digits[6...9].reduce(0) { $0 * 10 + $1 }
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        guard let birth = CalendarDate(year: year, month: month, day: day), year >= 1900, birth <= today else {
            return .failure(.birthDate)
        }
        guard checkCharacter(for: digits) == Character(last) else { return .failure(.checkDigit) }
        return .success(ResidentID(value: String(String.UnicodeScalarView(characters))))
    }

    /// The MOD 11-2 check character of the first 17 digits (ISO 7064).
    public static func checkCharacter(for digits: [Int]) -> Character {
        precondition(digits.count == 17)
        var sum = 0
        for (index, digit) in digits.enumerated() {
            sum += digit * weights[index]
        }
        let check = (12 - sum % 11) % 11
        return check == 10 ? "X" : Character(String(check))
    }

    public var birthDate: CalendarDate {
        let digits = value.unicodeScalars.compactMap(\.asciiDigit)
        let year = digits[6...9].reduce(0) { $0 * 10 + $1 }
        return CalendarDate(year: year, month: digits[10] * 10 + digits[11], day: digits[12] * 10 + digits[13])!
    }

    /// Masked: the description never shows the whole number, so it cannot leak through
    /// string interpolation into a log.
    public var description: String { Masking.idNumber(value) }

    /// 2^(17-i) mod 11 for i in 0..<17.
    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]

    /// Province-level codes of GB/T 2260, with 71 (Taiwan) and 81/82 (Hong Kong, Macao)
    /// used on residence permits, and 83 for Taiwan residents' permits.
    private static let provinceCodes: Set<Int> = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
    ]
}

extension Unicode.Scalar {
    /// The value of an ASCII digit, nil for anything else (full-width digits included).
    var asciiDigit: Int? {
        (0x30...0x39).contains(value) ? Int(value - 0x30) : nil
    }
}
