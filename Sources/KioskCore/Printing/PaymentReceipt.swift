import Foundation

/// What a payment receipt prints: one payment recorded in the ledger, with what ties the
/// paper to the ledger (terminal, sequence, the record's hash) so it can be checked
/// against it, as a German fiscal receipt is against its TSE. No personal data: the
/// account is masked.
public struct PaymentReceipt: Sendable, Hashable {
    /// The centre's order number, the citizen's handle for the payment.
    public var receiptNumber: String
    public var itemName: LocalizedText
    public var amountFen: Int64
    /// The payment channel, e.g. "wechat", "alipay", "unionpay".
    public var channel: String
    public var maskedAccount: String
    public var paidAt: Date
    public var terminal: String
    /// The terminal's sequence number of the payment record.
    public var sequence: Int64
    /// The ledger record's hash (hex).
    public var hash: String

    public init(
        receiptNumber: String, itemName: LocalizedText, amountFen: Int64, channel: String, maskedAccount: String,
        paidAt: Date, terminal: String, sequence: Int64, hash: String
    ) {
        self.receiptNumber = receiptNumber
        self.itemName = itemName
        self.amountFen = amountFen
        self.channel = channel
        self.maskedAccount = maskedAccount
        self.paidAt = paidAt
        self.terminal = terminal
        self.sequence = sequence
        self.hash = hash
    }

    /// The receipt of `order`, recorded as `record`.
    public init(order: PaymentOrder, record: LedgerRecord, itemName: LocalizedText) {
        self.init(
            receiptNumber: order.number, itemName: itemName, amountFen: record.amountFen, channel: record.channel,
            maskedAccount: record.maskedAccount, paidAt: order.paidAt ?? record.recordedAt, terminal: record.terminal,
            sequence: record.sequence, hash: record.hash
        )
    }

    /// The first 16 hex digits of the hash, printed for the eye.
    public var shortHash: String { String(hash.prefix(16)) }

    /// What the receipt's QR code holds: enough to find and check the ledger record
    /// ("KIOSKD1|terminal|sequence|amount fen|hash").
    public var verificationData: String {
        "KIOSKD1|\(terminal)|\(sequence)|\(amountFen)|\(hash)"
    }
}

/// What the daily settlement (日结) prints: totals of one terminal's day.
public struct DailySettlement: Sendable, Hashable, Codable {
    public struct Total: Sendable, Hashable, Codable {
        public var item: String
        public var channel: String
        public var count: Int
        public var totalFen: Int64

        public init(item: String, channel: String, count: Int, totalFen: Int64) {
            self.item = item
            self.channel = channel
            self.count = count
            self.totalFen = totalFen
        }
    }

    /// The day, "2026-11-23".
    public var day: String
    public var terminal: String
    public var totals: [Total]
    public var firstSequence: Int64
    public var lastSequence: Int64
    /// The hash at the head of the payment chain after the day's last record.
    public var chainHead: String

    public init(day: String, terminal: String, totals: [Total], firstSequence: Int64, lastSequence: Int64, chainHead: String) {
        self.day = day
        self.terminal = terminal
        self.totals = totals
        self.firstSequence = firstSequence
        self.lastSequence = lastSequence
        self.chainHead = chainHead
    }

    public var count: Int { totals.reduce(0) { $0 + $1.count } }
    public var totalFen: Int64 { totals.reduce(0) { $0 + $1.totalFen } }
}
