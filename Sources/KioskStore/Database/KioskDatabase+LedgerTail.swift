import GRDB
import KioskCore

/// One terminal's chain as its head row and its last record tell it.
public struct LedgerTail: Sendable, Hashable {
    public var terminal: String
    /// The head written with the terminal's last append; nil when there is none.
    public var head: LedgerHead?
    /// The terminal's record with the highest sequence; nil when there is none.
    public var last: LedgerRecord?

    /// Whether the head row names the last record exactly.
    public var agrees: Bool { head != nil && head == last?.head }
}

extension KioskDatabase {
    /// Each terminal's head row beside its last record: two indexed lookups per terminal,
    /// whatever the ledger's length, so start-up can check the tail without a full verify.
    /// A record deleted from the tail, or one appended without its head, shows as a tail
    /// that does not agree.
    public func ledgerTails() async throws -> [LedgerTail] {
        try await readAsync { db in
            let heads = try LedgerHeadRecord.fetchAll(db)
            // The ledger's terminals by seeking the primary key from one to the next, not by
            // reading a million index entries.
            let recorded = try String.fetchAll(db, sql: """
                WITH RECURSIVE step(terminal) AS (
                    SELECT MIN(terminal) FROM ledgerRecord
                    UNION ALL
                    SELECT (SELECT MIN(terminal) FROM ledgerRecord WHERE terminal > step.terminal) FROM step
                    WHERE step.terminal IS NOT NULL
                )
                SELECT terminal FROM step WHERE terminal IS NOT NULL
                """)
            let terminals = Set(recorded).union(heads.map(\.terminal))
            return try terminals.sorted().map { terminal in
                let head = heads.first { $0.terminal == terminal }.map { LedgerHead(sequence: $0.sequence, hash: $0.hash) }
                let last = try LedgerRecord.filter(Column("terminal") == terminal).order(Column("sequence").desc).fetchOne(db)
                return LedgerTail(terminal: terminal, head: head, last: last)
            }
        }
    }
}
