/// The number a terminal gives an application the moment it is stored (申请编号): the day,
/// a sequence from the database, and a check character, e.g. `A261123-00042-K`. It is
/// unique per kiosk, readable aloud, and a mistyped digit or swapped pair is caught by the
/// check character before any lookup.
public struct ApplicationNumber: Sendable, Hashable, CustomStringConvertible {
    public let value: String

    /// The number for the `sequence`-th application, stored on `date`.
    public init(date: CalendarDate, sequence: Int64) {
        let yy = date.year % 100
        let body = "A" + Self.pad(yy, 2) + Self.pad(date.month, 2) + Self.pad(date.day, 2) + "-" + Self.pad(Int(sequence), 5)
        value = body + "-" + String(Self.checkCharacter(for: body))
    }

    /// Accepts a typed number in any case, with or without dashes; nil when its check
    /// character is wrong.
    public init?(parsing text: String) {
        let compact = text.uppercased().filter { $0 != "-" && $0 != " " }
        guard compact.count >= 13, compact.first == "A",
              compact.dropFirst().dropLast().allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        let characters = Array(compact)
        let body = "A" + String(characters[1...6]) + "-" + String(characters[7..<(characters.count - 1)])
        guard Self.checkCharacter(for: body) == characters.last else { return nil }
        value = body + "-" + String(characters.last!)
    }

    public var description: String { value }

    /// ISO 7064-style mod 31 over the alphabet of the credit code (no I, O, S, V, Z),
    /// weighted by position so adjacent swaps change it.
    static func checkCharacter(for body: String) -> Character {
        var sum = 0
        for (index, character) in body.filter({ $0 != "-" }).enumerated() {
            let value = CreditCode.alphabet.firstIndex(of: character) ?? 0
            sum = (sum + value * (index + 2)) % 31
        }
        return CreditCode.alphabet[sum]
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
