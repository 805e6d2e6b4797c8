import Foundation

/// What a payment receipt prints: one recorded payment. Amounts are fen; the payer's
/// phone is raw here and masked by the template.
public struct PaymentReceipt: Sendable, Hashable {
    public var receiptNumber: String
    public var itemName: LocalizedText
    public var amountFen: Int64
    /// The payment channel, e.g. "wechat", "alipay", "unionpay".
    public var channel: String
    public var payerPhone: String
    public var paidAt: Date
    public var terminal: String
    /// The terminal's sequence number of the payment record.
    public var sequence: Int64

    public init(
        receiptNumber: String, itemName: LocalizedText, amountFen: Int64, channel: String, payerPhone: String,
        paidAt: Date, terminal: String, sequence: Int64
    ) {
        self.receiptNumber = receiptNumber
        self.itemName = itemName
        self.amountFen = amountFen
        self.channel = channel
        self.payerPhone = payerPhone
        self.paidAt = paidAt
        self.terminal = terminal
        self.sequence = sequence
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
