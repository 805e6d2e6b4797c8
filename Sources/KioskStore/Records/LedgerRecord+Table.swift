import Foundation
import GRDB
import KioskCore

/// The rows of `ledgerRecord` are KioskCore's `LedgerRecord`s as they are: the table's
/// columns are the record's fields, so what is stored is exactly what was sealed. The table
/// is append-only: triggers refuse UPDATE and DELETE, so a correction is a reversal record.
extension LedgerRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ledgerRecord"
}

/// A row of `ledgerHead`: each terminal's last sealed record, written in the same
/// transaction as the record, so a record deleted from the tail is found.
public struct LedgerHeadRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ledgerHead"
    public var terminal: String
    public var sequence: Int64
    public var hash: String
}
