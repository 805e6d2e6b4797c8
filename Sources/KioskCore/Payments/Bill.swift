import Foundation

/// The kinds of bills a hall's terminals take, as the central service names them.
public enum BillKind: String, Sendable, Hashable, CaseIterable, Codable {
    case water
    case electricity
    case gas
    case property

    /// The localization key of the kind's name (`bill.kind.water` → "水费").
    public var labelKey: String { "bill.kind.\(rawValue)" }

    /// Account numbers are this many digits (the utilities' 户号).
    public static let accountLength = 10

    /// Why `text` cannot be an account number, as a localization key; nil when it can.
    /// Only digits are kept from what was typed, so a hostile string never reaches the
    /// central service.
    public static func accountProblem(_ text: String) -> String? {
        if text.isEmpty { return "pay.account.empty" }
        guard text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return "pay.account.digits" }
        return text.count == accountLength ? nil : "pay.account.length"
    }
}

/// What the central service says is due on an account.
public struct Bill: Sendable, Hashable {
    public var kind: BillKind
    public var account: String
    /// The account holder's name as the centre masks it ("张*").
    public var holderMasked: String
    public var amountDueFen: Int64
    /// The billing period ("2026-10").
    public var period: String

    public init(kind: BillKind, account: String, holderMasked: String, amountDueFen: Int64, period: String) {
        self.kind = kind
        self.account = account
        self.holderMasked = holderMasked
        self.amountDueFen = amountDueFen
        self.period = period
    }

    /// The account as shown and printed: the last four digits only.
    public var maskedAccount: String {
        String(repeating: "*", count: max(0, account.count - 4)) + account.suffix(4)
    }
}
