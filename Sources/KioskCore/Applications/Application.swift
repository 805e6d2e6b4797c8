import Foundation

/// An application as the kiosk keeps it: what the citizen entered (validated), how the
/// result reaches them, and what the central service last said about it.
public struct Application: Sendable, Hashable, Identifiable {
    /// The idempotency key on every try to the central service, forever.
    public var id: UUID
    /// The terminal-issued number on the acceptance slip (see `ApplicationNumber`).
    public var number: String
    public var itemID: String
    public var terminal: String
    /// The form's normalised values by field id.
    public var values: [String: String]
    /// For a bundle: the chosen sub-items (choice keys), each with its own status.
    public var subItems: [String]
    public var delivery: Delivery
    /// The applicant signed the commitment of an accept-with-gaps item.
    public var consentToGaps: Bool
    /// A value was accepted that a person must check (a credit code failing its check).
    public var needsReview: Bool
    /// Whole seconds: the body sent is the same on every try, byte for byte.
    public var submittedAt: Date
    public var caseNumber: String?
    public var status: CaseStatus
    public var statusChangedAt: Date?
    /// How the applicant was proved at the kiosk; nil when not proved.
    public var identityProof: ApplicationProof?

    public init(
        id: UUID, number: String, itemID: String, terminal: String, values: [String: String], subItems: [String],
        delivery: Delivery, consentToGaps: Bool, needsReview: Bool, submittedAt: Date, caseNumber: String? = nil,
        status: CaseStatus = .pending, statusChangedAt: Date? = nil, identityProof: ApplicationProof? = nil
    ) {
        self.identityProof = identityProof
        self.id = id
        self.number = number
        self.itemID = itemID
        self.terminal = terminal
        self.values = values
        self.subItems = subItems
        self.delivery = delivery
        self.consentToGaps = consentToGaps
        self.needsReview = needsReview
        self.submittedAt = Date(timeIntervalSince1970: submittedAt.timeIntervalSince1970.rounded(.down))
        self.caseNumber = caseNumber
        self.status = status
        self.statusChangedAt = statusChangedAt
    }
}

/// How the result reaches the applicant.
public enum Delivery: Sendable, Hashable {
    /// Collected at the hall's window.
    case pickup
    /// Sent by EMS to the address.
    case ems(address: String)

    /// How, without where: what the slip, the store and the central service's contract name.
    public enum Method: String, Sendable, Hashable, CaseIterable {
        case pickup
        case ems
    }

    public var method: Method {
        switch self {
        case .pickup: .pickup
        case .ems: .ems
        }
    }

    /// The delivery `method` names, with `address` for EMS.
    public init(method: Method, address: String?) {
        switch method {
        case .pickup: self = .pickup
        case .ems: self = .ems(address: address ?? "")
        }
    }

    public var address: String? {
        if case .ems(let address) = self { address } else { nil }
    }
}

/// Where a case stands. `pending` is the kiosk's own: stored, not yet accepted centrally.
public enum CaseStatus: String, Sendable, Hashable, CaseIterable {
    case pending
    case accepted
    case underReview = "under-review"
    case needsCorrection = "needs-correction"
    case approved
    case done
    case rejected

    /// The localization key of the status in words.
    public var messageKey: String { "case.status.\(rawValue)" }
}
