import Foundation

/// Where a terminal's payments go: the central service for bills and orders, the ledger and
/// the receipt printer once paid (the store, the client, the printer and the signer, in
/// the daemon).
public protocol PaymentDesk: Sendable {
    /// What is due on `account`, asked live.
    func bill(kind: BillKind, account: String) async -> LookupAnswer<Bill>
    /// Creates the order for `bill` at the centre, recorded here first as open so a crash
    /// or a late confirmation is reconciled; nil when it could not be created (the centre
    /// or the disk): nothing was charged.
    func createOrder(for bill: Bill, terminal: String) async -> PaymentOrder?
    /// Asks where the order stands; when it is paid, records it in the ledger (once, whoever
    /// asks) and prints the receipt. Nil when the centre did not answer.
    func follow(orderID: UUID) async -> PaymentResult?
    /// The citizen cancelled: cancels at the centre. A payment that made it anyway is still
    /// recorded and the result says so.
    func cancel(orderID: UUID) async -> PaymentResult?
}

/// Draws QR codes (libqrencode, in the daemon).
public protocol QRCodeEncoder: Sendable {
    /// The modules for `text`, at the lowest version that holds it; nil if it cannot be
    /// encoded.
    func encode(_ text: String) -> QRMatrix?
}
