/// Masks personal data before it is printed or shown: enough is left for the citizen to
/// recognise their own slip, never enough to use it.
public enum PersonalDataMask {
    /// A resident ID keeps its first 4 and last 4 characters: "1101**********1234".
    /// Anything of 8 characters or fewer is masked completely.
    public static func residentID(_ id: String) -> String {
        let characters = Array(id.filter { !$0.isWhitespace })
        guard characters.count > 8 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(4)) + String(repeating: "*", count: characters.count - 8) + String(characters.suffix(4))
    }

    /// A phone number keeps its first 3 and last 4 digits: "138****5678".
    public static func phone(_ number: String) -> String {
        let characters = Array(number.filter { !$0.isWhitespace && $0 != "-" })
        guard characters.count > 7 else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(3)) + String(repeating: "*", count: characters.count - 7) + String(characters.suffix(4))
    }

    /// A name keeps its first character: "张*", "欧**"; Latin names keep their first letter
    /// of each word: "J*** S****".
    public static func name(_ name: String) -> String {
        let clean: String = UntrustedText(name).sanitized.trimmingSpaces
        guard let first = clean.first else { return "" }
        if clean.contains(" ") {
            let words = clean.split(separator: " ").map { (word: Substring) -> String in
                let stars = String(repeating: "*", count: max(0, word.count - 1))
                return "\(word.prefix(1))\(stars)"
            }
            return words.joined(separator: " ")
        }
        return String(first) + String(repeating: "*", count: max(1, clean.count - 1))
    }
}
