import Foundation
import GRDB
import KioskCore

/// A row of `paymentOrder`: one order this kiosk created at the centre, from before it was
/// asked for until it ends. It carries no personal data: the account is masked.
public struct PaymentOrderRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "paymentOrder"

    /// Where the order stands here.
    public enum State: String, Sendable, Hashable, Codable, CaseIterable {
        /// Written before the centre is asked: after a crash, the centre says whether it
        /// exists.
        case creating
        /// Created at the centre, waiting to be paid.
        case open
        /// Paid and recorded in the ledger (`ledgerSequence`).
        case paid
        case cancelled
        case expired
        /// The centre never created it: nothing was charged.
        case void
    }

    public var id: String
    public var terminal: String
    public var billKind: String
    public var maskedAccount: String
    public var amountFen: Int64
    public var number: String?
    public var state: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var paidAt: Date?
    public var channel: String?
    public var ledgerSequence: Int64?
    /// The confirmation came after the citizen's session had ended.
    public var afterSession: Bool
    /// The receipt's print job, and whether it printed.
    public var receiptNumber: String?
    public var receiptPrinted: Bool
    /// `ProofDigest` of the full account: checks the proof of a receipt reprint
    /// in another session. Nil for orders from before it was kept.
    public var accountDigest: String? = nil

    public var orderState: State { State(rawValue: state) ?? .open }
    public var orderID: UUID? { UUID(uuidString: id) }
}
