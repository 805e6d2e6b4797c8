/// What an application keeps once `[privacy] personal_data_days` have passed after its
/// delivery to the centre: every personal field replaced by its masked form, as screens
/// and paper show it (`Masking`), and the delivery address cut to its district. The
/// centre has the whole application; the kiosk keeps what a citizen may see again.
public enum PersonalDataRetention {
    /// `values` with every personal field of `item` masked. A value whose field the
    /// catalog no longer declares (the item changed or is gone) is masked as a name
    /// would be: when in doubt, less stays.
    public static func masked(_ values: [String: String], item: CatalogItem?) -> [String: String] {
        let fields = Dictionary((item?.fields ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [String: String] = [:]
        for (id, value) in values {
            if let field = fields[id] {
                result[id] = personal(field) ? Masking.value(value, of: field.type, personal: true) : value
            } else {
                result[id] = Masking.name(value)
            }
        }
        return result
    }

    /// The delivery address as kept: its district only.
    public static func masked(address: String?) -> String? {
        address.map(Masking.address)
    }

    /// True for the fields that say who someone is or how to reach them. A company's
    /// credit code and name, dates, amounts and choices are not personal data.
    static func personal(_ field: FormField) -> Bool {
        switch field.type {
        case .residentID, .mobile, .address: true
        case .text: field.holdsPersonalName
        case .creditCode, .date, .amount, .choice: false
        }
    }
}
