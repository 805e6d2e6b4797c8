/// The outcome of checking what was typed into one form field.
public enum FieldCheck: Sendable, Hashable {
    /// Valid; `value` is the normalised form kept and sent (uppercase X in an ID, fen for
    /// amounts, choice keys for choices). `needsReview` is set for a credit code that
    /// fails its check: accepted, but a person must look at it.
    case valid(value: String, needsReview: Bool)
    /// Left empty, and the field is optional.
    case empty
    /// Not acceptable; the key of the message shown next to the field. What was typed is
    /// kept on screen so the citizen can correct it.
    case invalid(messageKey: String)

    public var isAcceptable: Bool {
        if case .invalid = self { false } else { true }
    }
}

extension FormField {
    /// A text field holding a person's name: masked on screens and paper.
    public var holdsPersonalName: Bool {
        type == .text && id.hasSuffix("name") && !Self.organisationNameFields.contains(id)
    }

    /// The message of a pick without a choice it needs; the screen names both choices.
    public static let requiresMessageKey = "form.error.requires"

    private static let organisationNameFields: Set<String> = [FormFieldID.companyName, "shop-name", "project-name"]

    /// The most characters a text or address field takes.
    public var characterLimit: Int {
        switch type {
        case .address: 120
        default: maxLength ?? 50
        }
    }

    /// The key a choice is stored under: its English label in lowercase-hyphen form
    /// ("Business licence" → "business-licence"), stable across languages.
    public func choiceKey(_ index: Int) -> String {
        let english = choices[index].english.lowercased()
        var key = ""
        for scalar in english.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.asciiDigit != nil {
                key.unicodeScalars.append(scalar)
            } else if !key.isEmpty, !key.hasSuffix("-") {
                key += "-"
            }
        }
        return key.hasSuffix("-") ? String(key.dropLast()) : key
    }

    /// Checks `raw` (what the citizen typed; for choices the 1-based numbers picked,
    /// separated by commas or spaces). `today` bounds birth dates.
    public func check(_ raw: String, today: CalendarDate) -> FieldCheck {
        let text = UntrustedText(raw).sanitized.trimmingSpaces
        guard !text.isEmpty else { return required ? .invalid(messageKey: "form.error.required") : .empty }
        switch type {
        case .residentID:
            switch ResidentID.validate(text, today: today) {
            case .success(let id): return .valid(value: id.value, needsReview: false)
            case .failure(let problem): return .invalid(messageKey: problem.messageKey)
            }
        case .creditCode:
            switch CreditCode.validate(text) {
            case .success(let code): return .valid(value: code.value, needsReview: !code.passesCheck)
            case .failure(let problem): return .invalid(messageKey: problem.messageKey)
            }
        case .mobile:
            let scalars = Array(text.unicodeScalars)
            guard scalars.count == 11, scalars.allSatisfy({ $0.asciiDigit != nil }), scalars[0] == "1",
                  let second = scalars[1].asciiDigit, second >= 3
            else { return .invalid(messageKey: "form.error.mobile") }
            return .valid(value: text, needsReview: false)
        case .text, .address:
            if type == .address, text.count < 5 { return .invalid(messageKey: "form.error.address.short") }
            guard text.count <= characterLimit else { return .invalid(messageKey: "form.error.too-long") }
            return .valid(value: text, needsReview: false)
        case .date:
            guard let date = CalendarDate(parsing: text) else { return .invalid(messageKey: "form.error.date") }
            return .valid(value: date.description, needsReview: false)
        case .amount:
            let parsed = unit == .wanYuan ? Money.fen(parsingWanYuan: text) : Money.fen(parsingYuan: text)
            guard let fen = parsed, fen > 0 else {
                return .invalid(messageKey: unit == .wanYuan ? "form.error.amount.wan-yuan" : "form.error.amount")
            }
            if let maxFen, fen > maxFen { return .invalid(messageKey: "form.error.amount.max") }
            return .valid(value: String(fen), needsReview: false)
        case .choice:
            guard let picked = pickedChoices(text) else { return .invalid(messageKey: "form.error.choice") }
            // A sub-item that needs another (the business licence) is not taken without it.
            if unmetRequirement(picked: picked) != nil { return .invalid(messageKey: Self.requiresMessageKey) }
            return .valid(value: picked.map(choiceKey).joined(separator: ","), needsReview: false)
        }
    }
}

extension String {
    /// Without leading and trailing spaces (ASCII and ideographic).
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\u{3000}" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[start...end])
    }
}
