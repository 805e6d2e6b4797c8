/// The number a terminal gives an application the moment it is stored (申请编号): the day,
/// the kiosk's id, a sequence from the kiosk's database, and a check character, e.g.
/// `A261202-HALL7-00042-K`. The kiosk id makes it unique across the city's kiosks (two
/// kiosks of one hall both issue their first number of the day); the check character
/// covers the kiosk id too, so a mistyped digit or letter or a swapped pair is caught
/// before any lookup. Numbers issued before kiosk ids existed (`A261123-00042-K`) stay
/// valid: they are the same number with an empty kiosk id.
public struct ApplicationNumber: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// The number for the `sequence`-th application of `kiosk`, stored on `date`. `kiosk`
    /// is a valid `KioskID` (upper-cased here); nil gives the number without one.
    public init(date: CalendarDate, kiosk: KioskID? = nil, sequence: Int64) {
        let yy = date.year % 100
        let day = "A" + Self.pad(yy, 2) + Self.pad(date.month, 2) + Self.pad(date.day, 2)
        let kioskPart = kiosk.map { "-" + $0.value.uppercased() } ?? ""
        let body = day + kioskPart + "-" + Self.pad(Int(sequence), 5)
        value = body + "-" + String(Self.checkCharacter(for: body))
    }

    /// Accepts a typed number in any case; nil when its check character is wrong or it is
    /// not shaped like a number. Typed with its dashes, the kiosk id is what lies between
    /// the day and the sequence (and may hold dashes itself); typed without them, the
    /// sequence is the last five digits before the check character (a kiosk issues far
    /// fewer than 100,000 a day) and a kiosk id's own dashes are lost, so lookups compare
    /// numbers without their dashes too.
    public init?(parsing text: String) {
        let typed = text.uppercased().filter { $0 != " " }
        let parts = typed.split(separator: "-", omittingEmptySubsequences: false)
        let day: Substring
        let kiosk: String
        let sequence: Substring
        let check: Character
        if parts.count >= 3, parts[0].count == 7, parts.last!.count == 1, !parts[parts.count - 2].isEmpty {
            day = parts[0]
            sequence = parts[parts.count - 2]
            kiosk = parts[1..<(parts.count - 2)].joined(separator: "-")
            check = parts.last!.first!
        } else {
            let compact = typed.filter { $0 != "-" }
            guard compact.count >= 13, let last = compact.last else { return nil }
            check = last
            let withoutCheck = compact.dropLast()
            day = withoutCheck.prefix(7)
            sequence = withoutCheck.suffix(5)
            kiosk = String(withoutCheck.dropFirst(7).dropLast(5))
        }
        guard day.count == 7, day.first == "A", day.dropFirst().allSatisfy(\.isASCIIDigit),
              !sequence.isEmpty, sequence.allSatisfy(\.isASCIIDigit),
              kiosk.isEmpty || KioskID(kiosk) != nil
        else { return nil }
        let body = String(day) + (kiosk.isEmpty ? "" : "-" + kiosk) + "-" + String(sequence)
        guard Self.checkCharacter(for: body) == check else { return nil }
        value = body + "-" + String(check)
    }

    public var description: String { value }

    /// ISO 7064-style mod 31 over the alphabet of the credit code, weighted by position so
    /// adjacent swaps change it. Letters outside that alphabet (I, O, S, V, Z, in kiosk ids)
    /// count by their code, so a typo in them is caught too; dashes do not count.
    static func checkCharacter(for body: String) -> Character {
        var sum = 0
        for (index, character) in body.filter({ $0 != "-" }).enumerated() {
            let value = CreditCode.alphabet.firstIndex(of: character) ?? Int(character.asciiValue ?? 0) % 31
            sum = (sum + value * (index + 2)) % 31
        }
        return CreditCode.alphabet[sum]
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// A kiosk's id (`[daemon] kiosk_id`): 1 to 16 ASCII letters, digits and dashes, starting
/// and ending with a letter or digit, e.g. `HALL7-A`. It names the kiosk at the centre and
/// is part of every application number the kiosk issues.
public struct KioskID: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// nil unless `text` is a valid kiosk id.
    public init?(_ text: String) {
        guard (1...16).contains(text.count),
              text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }),
              text.first != "-", text.last != "-", !text.contains("--")
        else { return nil }
        value = text
    }

    public var description: String { value }

    /// What a valid id looks like, for error messages.
    public static let rule = "1 to 16 letters, digits and dashes (A-Z, a-z, 0-9, -), not starting or ending with a dash"
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
