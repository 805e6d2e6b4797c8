/// A unified social credit code (统一社会信用代码) checked against GB 32100-2015: 18
/// characters from a 31-symbol alphabet (digits and capitals without I, O, S, V, Z), the
/// last a mod-31 check character.
///
/// Some early codes are legal but fail the check, so a code with the right length and
/// alphabet is accepted either way; `passesCheck` tells whether a person must review it.
public struct CreditCode: Sendable, Hashable, CustomStringConvertible {
    public let value: String
    /// False when the check character does not match: the application is flagged for
    /// manual review instead of refused.
    public let passesCheck: Bool

    public struct Problem: Error, Hashable, Sendable {
        private enum Kind: Hashable, Sendable { case length, characters }
        private let kind: Kind
        public static let length = Problem(kind: .length)
        public static let characters = Problem(kind: .characters)

        public var messageKey: String {
            switch kind {
            case .length: "form.error.credit.length"
            case .characters: "form.error.credit.characters"
            }
        }
    }

    public static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    public static func validate(_ text: String) -> Result<CreditCode, Problem> {
        let characters = Array(text.uppercased())
        guard characters.count == 18 else { return .failure(.length) }
        var values: [Int] = []
        for character in characters {
            guard let value = alphabet.firstIndex(of: character) else { return .failure(.characters) }
            values.append(value)
        }
        let check = checkCharacter(for: Array(values.prefix(17)))
        return .success(CreditCode(value: String(characters), passesCheck: check == characters[17]))
    }

    /// The check character of the first 17 symbol values: 31 - (Σ wᵢ·cᵢ mod 31), with 31
    /// written as 0.
    public static func checkCharacter(for values: [Int]) -> Character {
        precondition(values.count == 17)
        var sum = 0
        for (index, value) in values.enumerated() { sum += value * weights[index] }
        return alphabet[(31 - sum % 31) % 31]
    }

    public var description: String { value }

    /// 3^i mod 31 for i in 0..<17.
    private static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
}
