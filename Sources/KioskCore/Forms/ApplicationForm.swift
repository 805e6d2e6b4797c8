/// A form being filled on a terminal: one field at a time, then (for applications) how the
/// result is delivered, the commitment of an accept-with-gaps item, and a summary to
/// confirm. A pure state machine: keys in, an outcome out.
///
/// What was typed is kept per field, also after an error, so a citizen corrects rather
/// than retypes. Everything here is personal data and lives only as long as the menu state.
public struct ApplicationForm: Sendable, Hashable {
    /// What the form is for.
    public enum Purpose: Sendable, Hashable {
        /// An application for a catalog item.
        case application(itemID: String, acceptWithGaps: Bool)
        /// "Where is my case": number and ID suffix.
        case progress
        /// Social insurance and housing fund: ID number and name.
        case insurance
    }

    public enum Step: Sendable, Hashable {
        case field(Int)
        /// 1 pickup at the hall, 2 EMS.
        case delivery
        /// The EMS address.
        case address
        /// The accept-with-gaps commitment: 1 agree, 2 do not agree.
        case consent
        case summary
    }

    /// What a key did to the form.
    public enum Outcome: Sendable, Hashable {
        case stay
        /// Back out of the first step: the form is left.
        case leave
        /// Everything is valid and confirmed (for queries: the last field was entered).
        case complete
    }

    public let purpose: Purpose
    public let fields: [FormField]
    public private(set) var step: Step = .field(0)
    /// What was typed, by field id (and "address" for the EMS address).
    public private(set) var inputs: [String: String] = [:]
    /// Accepted values, normalised, by field id.
    public private(set) var values: [String: String] = [:]
    public private(set) var needsReview: Set<String> = []
    public private(set) var delivery: Delivery?
    public private(set) var consent = false
    /// The message key of the current step's error, shown next to the field.
    public private(set) var error: String?

    /// The address field of the delivery step.
    public static let addressField = FormField(
        id: "ems-address", type: .address, label: LocalizedText(chinese: "", english: ""), required: true
    )

    public init(purpose: Purpose, fields: [FormField]) {
        precondition(!fields.isEmpty)
        self.purpose = purpose
        self.fields = fields
    }

    /// The field being typed into, if the step is a field.
    public var currentField: FormField? {
        switch step {
        case .field(let index): fields[index]
        case .address: Self.addressField
        default: nil
        }
    }

    /// What is typed into the current field.
    public var currentInput: String {
        currentField.map { inputs[$0.id] ?? "" } ?? ""
    }

    private var isApplication: Bool {
        if case .application = purpose { true } else { false }
    }

    private var acceptWithGaps: Bool {
        if case .application(_, let gaps) = purpose { gaps } else { false }
    }

    /// The application as confirmed; nil unless the form is an application and complete.
    public var draft: ApplicationDraft? {
        guard case .application(let itemID, let gaps) = purpose, let delivery else { return nil }
        let subItems = fields.first { $0.type == .choice && $0.multiple }.flatMap { values[$0.id] }?
            .split(separator: ",").map(String.init) ?? []
        return ApplicationDraft(
            itemID: itemID, values: values, subItems: subItems, delivery: delivery, consentToGaps: gaps && consent,
            needsReview: !needsReview.isEmpty
        )
    }

    public mutating func handle(_ key: Key, today: CalendarDate) -> Outcome {
        switch step {
        case .field, .address:
            return handleInput(key, today: today)
        case .delivery:
            switch key {
            case .character("1"):
                delivery = .pickup
                inputs["ems-address"] = nil
                step = acceptWithGaps ? .consent : .summary
            case .character("2"):
                step = .address
            case .escape, .backspace:
                step = .field(fields.count - 1)
            default: break
            }
        case .consent:
            switch key {
            case .character("1"):
                consent = true
                step = .summary
            case .character("2"), .escape, .backspace:
                consent = false
                step = .delivery
            default: break
            }
        case .summary:
            switch key {
            case .enter: return .complete
            case .escape, .backspace: step = acceptWithGaps ? .consent : .delivery
            default: break
            }
        }
        return .stay
    }

    private mutating func handleInput(_ key: Key, today: CalendarDate) -> Outcome {
        guard let field = currentField else { return .stay }
        var input = inputs[field.id] ?? ""
        switch key {
        case .character(let character):
            append(String(character), to: &input, field: field)
        case .paste(let text):
            append(text, to: &input, field: field)
        case .backspace where !input.isEmpty:
            input.removeLast()
            error = nil
        case .backspace, .escape:
            error = nil
            return back()
        case .enter:
            switch field.check(input, today: today) {
            case .invalid(let message):
                error = message
            case .empty:
                values[field.id] = nil
                error = nil
                return forward()
            case .valid(let value, let review):
                values[field.id] = value
                if review { needsReview.insert(field.id) } else { needsReview.remove(field.id) }
                error = nil
                if case .address = step { delivery = .ems(address: value) }
                return forward()
            }
        default:
            break
        }
        inputs[field.id] = input
        return .stay
    }

    private mutating func append(_ text: String, to input: inout String, field: FormField) {
        // A little beyond the limit, so "too long" can be said rather than silently cut.
        let room = field.characterLimit + 4
        for character in UntrustedText(text).sanitized where input.count < room {
            input.append(character)
        }
        error = nil
    }

    private mutating func forward() -> Outcome {
        switch step {
        case .field(let index) where index + 1 < fields.count:
            step = .field(index + 1)
        case .field:
            guard isApplication else { return .complete }
            step = .delivery
        case .address:
            step = acceptWithGaps ? .consent : .summary
        default:
            break
        }
        return .stay
    }

    private mutating func back() -> Outcome {
        switch step {
        case .field(0):
            return .leave
        case .field(let index):
            step = .field(index - 1)
        case .address:
            step = .delivery
        default:
            break
        }
        return .stay
    }
}

extension ApplicationForm {
    /// Types what an ID card says into the form's identity fields: the resident ID field,
    /// the first field holding a person's name, the first address field. Each is checked
    /// when the citizen confirms it with Enter, as if typed. Returns how many were filled.
    @discardableResult
    public mutating func fill(with identity: CardIdentity) -> Int {
        var filled = 0
        if let id = fields.first(where: { $0.type == .residentID }) {
            inputs[id.id] = identity.idNumber
            filled += 1
        }
        if let name = fields.first(where: \.holdsPersonalName) {
            inputs[name.id] = String(identity.name.prefix(name.characterLimit))
            filled += 1
        }
        if let address = fields.first(where: { $0.type == .address }) {
            inputs[address.id] = String(identity.address.prefix(address.characterLimit))
            filled += 1
        }
        return filled
    }

    /// Types a proved ID number into the form's resident ID field (confirmed with Enter,
    /// as if typed); false when the form has none.
    @discardableResult
    public mutating func fill(idNumber: String) -> Bool {
        guard let id = fields.first(where: { $0.type == .residentID }) else { return false }
        inputs[id.id] = idNumber
        return true
    }
}
