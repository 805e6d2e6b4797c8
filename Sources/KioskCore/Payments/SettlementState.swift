import Foundation

/// What the centre answered to a day's settlement: whether its own paid orders of the
/// kiosk and period agree with the kiosk's payments, and where they differ.
public struct SettlementAnswer: Sendable, Hashable, Codable {
    public enum Result: String, Sendable, Hashable, Codable, CaseIterable {
        case matched
        case mismatch
    }

    /// One item whose count or sum differs between the kiosk and the centre.
    public struct ItemDifference: Sendable, Hashable, Codable {
        /// The ledger's item, e.g. "bill-water".
        public var itemID: String
        public var kioskCount: Int
        public var kioskFen: Int64
        public var centreCount: Int
        public var centreFen: Int64

        public init(itemID: String, kioskCount: Int, kioskFen: Int64, centreCount: Int, centreFen: Int64) {
            self.itemID = itemID
            self.kioskCount = kioskCount
            self.kioskFen = kioskFen
            self.centreCount = centreCount
            self.centreFen = centreFen
        }

        /// The centre's count less the kiosk's: positive when the centre has more.
        public var countDifference: Int { centreCount - kioskCount }
        /// The centre's sum less the kiosk's, in fen.
        public var fenDifference: Int64 { centreFen - kioskFen }
    }

    /// One order the two sides do not agree on.
    public struct OrderDifference: Sendable, Hashable, Codable {
        public enum Side: String, Sendable, Hashable, Codable, CaseIterable {
            /// Paid at the centre in the period, not in the kiosk's settlement.
            case centreOnly = "centre-only"
            /// In the kiosk's settlement, not a paid order of this kiosk at the centre.
            case kioskOnly = "kiosk-only"
            /// On both sides, with different amounts.
            case amountDiffers = "amount-differs"
        }

        public var orderReference: String
        /// The centre's order number (PO…), when it knows the order.
        public var orderNumber: String?
        public var itemID: String
        /// The kiosk's amount, or the centre's for a centre-only order.
        public var amountFen: Int64
        public var side: Side

        public init(orderReference: String, orderNumber: String?, itemID: String, amountFen: Int64, side: Side) {
            self.orderReference = orderReference
            self.orderNumber = orderNumber
            self.itemID = itemID
            self.amountFen = amountFen
            self.side = side
        }
    }

    public var result: Result
    /// When the centre first received the settlement.
    public var receivedAt: Date
    /// By item; empty when matched.
    public var differences: [ItemDifference]
    /// By side, then order reference; empty when matched.
    public var orders: [OrderDifference]

    public init(result: Result, receivedAt: Date, differences: [ItemDifference] = [], orders: [OrderDifference] = []) {
        self.result = result
        self.receivedAt = receivedAt
        self.differences = differences
        self.orders = orders
    }
}

/// Where one day's settlement stands at the kiosk: its report, and whether it was
/// printed, forwarded and answered.
public struct SettlementState: Sendable, Hashable {
    public enum Stage: String, Sendable, Hashable, Codable {
        /// The day's books have not closed yet: the report is the day so far.
        case open
        /// Closed but not settled (before the kiosk's first record, or a day a technician
        /// has not settled yet): the report is computed, nothing is stored.
        case unsettled
        /// Settled: the report is the one stored, printed and forwarded.
        case settled
    }

    /// How the settlement travels to the centre.
    public enum Forwarding: String, Sendable, Hashable, Codable {
        /// Not answered yet; tried again at `nextAttemptAt`.
        case pending
        /// The centre answered (`answer`).
        case forwarded
        /// The centre refused it for good (a different settlement of the day is there: 409).
        case refused
    }

    public var report: SettlementReport
    public var stage: Stage
    /// When the day's books close (closed when in the past).
    public var closesAt: Date
    /// For a settled day.
    public var settledAt: Date?
    /// Who settled it: "schedule", "start" (a day missed while kioskd was down) or
    /// "technician".
    public var settledBy: String?
    /// The report's hash (`SettlementReport.hash(with:)`), for a settled day.
    public var reportHash: String?
    /// The slip's print job and how far it got ("printed", "printing", "waiting",
    /// "failed", or a print job state); nil when no slip was sent.
    public var printNumber: String?
    public var printState: String?
    public var forwarding: Forwarding?
    public var forwardAttempts: Int
    public var nextForwardAt: Date?
    /// Why the last try failed, or why it was refused; never personal data.
    public var forwardError: String?
    public var answer: SettlementAnswer?

    public init(
        report: SettlementReport, stage: Stage, closesAt: Date, settledAt: Date? = nil, settledBy: String? = nil,
        reportHash: String? = nil, printNumber: String? = nil, printState: String? = nil, forwarding: Forwarding? = nil,
        forwardAttempts: Int = 0, nextForwardAt: Date? = nil, forwardError: String? = nil, answer: SettlementAnswer? = nil
    ) {
        self.report = report
        self.stage = stage
        self.closesAt = closesAt
        self.settledAt = settledAt
        self.settledBy = settledBy
        self.reportHash = reportHash
        self.printNumber = printNumber
        self.printState = printState
        self.forwarding = forwarding
        self.forwardAttempts = forwardAttempts
        self.nextForwardAt = nextForwardAt
        self.forwardError = forwardError
        self.answer = answer
    }

    /// A fault technicians must look at: the centre's figures differ, or it refused the
    /// settlement.
    public var fault: SettlementFault? {
        if answer?.result == .mismatch { return .mismatch }
        if forwarding == .refused { return .refused }
        return nil
    }
}

/// Why a settled day needs a technician.
public enum SettlementFault: String, Sendable, Hashable, Codable, CaseIterable {
    /// The centre's paid orders differ from the kiosk's payments.
    case mismatch
    /// The centre refused the settlement (it holds a different one for the day).
    case refused
}
