/// How personal data is shown on screens and paper: enough for the citizen to recognise
/// their own data, not enough for someone behind them to read it.
public enum Masking {
    /// `1101**********002X`: the province and city, and the last four kept; anything of 8
    /// characters or fewer is hidden completely.
    public static func idNumber(_ value: String) -> String {
        keep(value.filter { !$0.isWhitespace }, first: 4, last: 4)
    }

    /// `138****5678`.
    public static func phone(_ value: String) -> String {
        keep(value.filter { !$0.isWhitespace && $0 != "-" }, first: 3, last: 4)
    }

    /// `张*`, `欧***`: the first character only; Latin names keep the first letter of each
    /// word (`J*** S****`).
    public static func name(_ value: String) -> String {
        let clean: String = UntrustedText(value).sanitized.trimmingSpaces
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

    /// The first six characters of an address (the district), the rest hidden.
    public static func address(_ value: String) -> String {
        value.count <= 6 ? String(repeating: "*", count: value.count) : String(value.prefix(6)) + "****"
    }

    /// The value masked for its field type; values that are not personal stay as they are.
    public static func value(_ value: String, of type: FormField.FieldType, personal: Bool) -> String {
        switch type {
        case .residentID: idNumber(value)
        case .mobile: phone(value)
        case .address: address(value)
        case .text where personal: name(value)
        default: value
        }
    }

    private static func keep(_ value: String, first: Int, last: Int) -> String {
        let characters = Array(value)
        guard characters.count > first + last else { return String(repeating: "*", count: characters.count) }
        return String(characters.prefix(first)) + String(repeating: "*", count: characters.count - first - last)
            + String(characters.suffix(last))
    }
}
