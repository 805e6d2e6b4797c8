/// How personal data is shown on screens and paper: enough for the citizen to recognise
/// their own data, not enough for someone behind them to read it.
public enum Masking {
    /// `110105********123X`: region and the last four kept.
    public static func idNumber(_ value: String) -> String {
        keep(value, first: 6, last: 4)
    }

    /// `138****5678`.
    public static func phone(_ value: String) -> String {
        keep(value, first: 3, last: 4)
    }

    /// `张*` / `欧阳**`: the family name only (the first character).
    public static func name(_ value: String) -> String {
        guard let first = value.first else { return "" }
        return String(first) + String(repeating: "*", count: max(1, value.count - 1))
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
