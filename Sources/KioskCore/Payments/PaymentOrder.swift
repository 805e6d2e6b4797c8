import Foundation

/// A payment order at the central service: the citizen pays it on a phone through the
/// QR code (`payURL`); the centre confirms. The order's UUID is its Idempotency-Key.
public struct PaymentOrder: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Waiting to be paid until `expiresAt`.
        case created
        case paid
        case cancelled
        case expired

        /// Nothing more will happen to the order.
        public var isFinal: Bool { self != .created }
    }

    public var id: UUID
    /// The centre's number for the order ("PO00000042"), printed on the receipt.
    public var number: String
    public var amountFen: Int64
    public var state: State
    /// What the citizen's phone opens to pay.
    public var payURL: String
    public var expiresAt: Date
    public var paidAt: Date?
    /// How it was paid ("wechat", "alipay", "unionpay"), once paid.
    public var channel: String?

    public init(
        id: UUID, number: String, amountFen: Int64, state: State, payURL: String, expiresAt: Date, paidAt: Date? = nil,
        channel: String? = nil
    ) {
        self.id = id
        self.number = number
        self.amountFen = amountFen
        self.state = state
        self.payURL = payURL
        self.expiresAt = expiresAt
        self.paidAt = paidAt
        self.channel = channel
    }
}

/// What became of a payment the citizen followed to its end.
public struct PaymentResult: Sendable, Hashable {
    public enum Outcome: String, Sendable, Hashable {
        /// Not paid yet: the order still waits until it expires.
        case open
        /// Paid and recorded in the ledger (`sequence`); `print` says whether the receipt
        /// printed (its number is the reprint number).
        case paid
        case cancelled
        case expired
        /// The centre could not be asked; the order is followed in the background and a
        /// payment is still recorded when it comes.
        case unknown
    }

    public var order: PaymentOrder
    public var outcome: Outcome
    /// The ledger sequence of a paid order.
    public var sequence: Int64?
    /// The receipt of a paid order, as far as it got.
    public var print: PrintOutcome?

    public init(order: PaymentOrder, outcome: Outcome, sequence: Int64? = nil, print: PrintOutcome? = nil) {
        self.order = order
        self.outcome = outcome
        self.sequence = sequence
        self.print = print
    }

    /// A paid order recorded as `sequence`, its receipt as `print`.
    public static func paid(_ order: PaymentOrder, sequence: Int64, print: PrintOutcome) -> PaymentResult {
        PaymentResult(order: order, outcome: .paid, sequence: sequence, print: print)
    }
}

/// What the kiosk tells the centre about a payment it recorded: its place in the ledger.
/// No personal data.
public struct PaymentReport: Sendable, Hashable {
    public var orderID: UUID
    public var terminal: String
    public var sequence: Int64
    public var amountFen: Int64
    public var recordedAt: Date
    /// The ledger record's hash (hex).
    public var hash: String
    /// The confirmation came after the citizen's session had ended.
    public var afterSession: Bool

    public init(
        orderID: UUID, terminal: String, sequence: Int64, amountFen: Int64, recordedAt: Date, hash: String, afterSession: Bool
    ) {
        self.orderID = orderID
        self.terminal = terminal
        self.sequence = sequence
        self.amountFen = amountFen
        self.recordedAt = recordedAt
        self.hash = hash
        self.afterSession = afterSession
    }
}
