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

/// What the daily settlement slip (日结单) prints on the receipt printer: the kiosk's
/// terminals, the day and its period, totals by item and channel, counts, each
/// terminal's first and last sequence and chain head (short), reversals, receipts that did
/// not print, payments confirmed after their session, and the report's hash. No personal
/// data: no account, not even masked.
public struct DailySettlement: Sendable, Hashable, Codable {
    /// One item paid through one channel.
    public struct Total: Sendable, Hashable, Codable {
        public var item: String
        public var channel: String
        public var count: Int
        public var paymentFen: Int64
        public var reversalCount: Int
        public var reversalFen: Int64

        public init(item: String, channel: String, count: Int, paymentFen: Int64, reversalCount: Int = 0, reversalFen: Int64 = 0) {
            self.item = item
            self.channel = channel
            self.count = count
            self.paymentFen = paymentFen
            self.reversalCount = reversalCount
            self.reversalFen = reversalFen
        }

        public var netFen: Int64 { paymentFen + reversalFen }
    }

    /// One terminal's part of the day's chain.
    public struct Span: Sendable, Hashable, Codable {
        public var terminal: String
        public var firstSequence: Int64
        public var lastSequence: Int64
        /// The chain head after the day's last record (full hex; printed short).
        public var head: String

        public init(terminal: String, firstSequence: Int64, lastSequence: Int64, head: String) {
            self.terminal = terminal
            self.firstSequence = firstSequence
            self.lastSequence = lastSequence
            self.head = head
        }
    }

    /// A reversal recorded in the period.
    public struct Reversal: Sendable, Hashable, Codable {
        public var terminal: String
        public var sequence: Int64
        public var reverses: Int64
        public var item: String
        /// Negative.
        public var amountFen: Int64

        public init(terminal: String, sequence: Int64, reverses: Int64, item: String, amountFen: Int64) {
            self.terminal = terminal
            self.sequence = sequence
            self.reverses = reverses
            self.item = item
            self.amountFen = amountFen
        }
    }

    /// The day, "2026-11-23".
    public var day: String
    public var periodStart: Date
    public var periodEnd: Date
    /// The kiosk's terminals (those configured, and any that recorded in the period).
    public var terminals: [String]
    public var totals: [Total]
    public var spans: [Span]
    public var reversals: [Reversal]
    public var unprintedReceipts: Int
    public var paidAfterSession: Int
    /// The report's hash (hex; printed short).
    public var reportHash: String

    public init(
        day: String, periodStart: Date, periodEnd: Date, terminals: [String], totals: [Total], spans: [Span] = [],
        reversals: [Reversal] = [], unprintedReceipts: Int = 0, paidAfterSession: Int = 0, reportHash: String
    ) {
        self.day = day
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.terminals = terminals
        self.totals = totals
        self.spans = spans
        self.reversals = reversals
        self.unprintedReceipts = unprintedReceipts
        self.paidAfterSession = paidAfterSession
        self.reportHash = reportHash
    }

    /// The slip of `report`, whose hash is `reportHash`, for a kiosk driving `terminals`.
    public init(report: SettlementReport, reportHash: String, terminals: [String]) {
        self.init(
            day: report.day.description, periodStart: report.periodStart, periodEnd: report.periodEnd,
            terminals: Array(Set(terminals + report.terminals.map(\.terminal))).sorted(),
            totals: report.lines.map {
                Total(item: $0.itemID, channel: $0.channel, count: $0.paymentCount, paymentFen: $0.paymentFen,
                      reversalCount: $0.reversalCount, reversalFen: $0.reversalFen)
            },
            spans: report.terminals.map {
                Span(terminal: $0.terminal, firstSequence: $0.firstSequence, lastSequence: $0.lastSequence, head: $0.head.hash)
            },
            reversals: report.reversals.map {
                Reversal(terminal: $0.terminal, sequence: $0.sequence, reverses: $0.reverses, item: $0.itemID, amountFen: $0.amountFen)
            },
            unprintedReceipts: report.unprintedReceipts, paidAfterSession: report.paidAfterSessionEnded, reportHash: reportHash
        )
    }

    public var count: Int { totals.reduce(0) { $0 + $1.count } }
    public var paymentFen: Int64 { totals.reduce(0) { $0 + $1.paymentFen } }
    public var reversalCount: Int { totals.reduce(0) { $0 + $1.reversalCount } }
    public var reversalFen: Int64 { totals.reduce(0) { $0 + $1.reversalFen } }
    public var netFen: Int64 { paymentFen + reversalFen }
}
