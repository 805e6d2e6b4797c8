import GRDB
import KioskCore

/// Appending to the ledger inside the caller's transaction, through cached statements:
/// a payment is written while the citizen waits for the receipt, and GRDB's record
/// encoding with a statement compiled per call cost more than the hash and the signature
/// together (`make bench BENCH=payments`).
extension LedgerRecord {
    /// `terminal`'s head as stored with its last append; `.genesis` before its first.
    static func storedHead(of terminal: String, in db: Database) throws -> LedgerHead {
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, hash FROM ledgerHead WHERE terminal = ?"), arguments: [terminal])
        return row.map { LedgerHead(sequence: $0[0], hash: $0[1]) } ?? .genesis
    }

    /// Inserts this sealed record and makes it its terminal's head. Afterwards, once the
    /// caller's transaction commits, the record and the head are on disk together.
    func append(to db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO ledgerRecord (terminal, sequence, recordedAtMilliseconds, kind, itemID, channel, amountFen, currency,
                                      orderReference, maskedAccount, reversalOf, previousHash, hash, signature)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                terminal, sequence, recordedAtMilliseconds, kind.rawValue, itemID, channel, amountFen, currency,
                orderReference, maskedAccount, reversalOf, previousHash, hash, signature,
            ])
        try db.cachedStatement(sql: """
            INSERT INTO ledgerHead (terminal, sequence, hash) VALUES (?, ?, ?)
            ON CONFLICT(terminal) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash
            """).execute(arguments: [terminal, sequence, hash])
    }
}
