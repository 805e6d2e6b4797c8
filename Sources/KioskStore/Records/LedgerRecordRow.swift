import Foundation
import GRDB
import KioskCore

/// A row of `ledgerRecord`: one sealed ledger record. The table is append-only: triggers
/// refuse UPDATE and DELETE, so a correction is a reversal record.
public struct LedgerRecordRow: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ledgerRecord"
    public var terminal: String
    public var sequence: Int64
    public var recordedAtMilliseconds: Int64
    public var kind: String
    public var itemID: String
    public var channel: String
    public var amountFen: Int64
    public var currency: String
    public var orderReference: String
    public var maskedAccount: String
    public var reversalOf: Int64?
    public var previousHash: String
    public var hash: String
    public var signature: String

    init(_ record: LedgerRecord) {
        terminal = record.terminal
        sequence = record.sequence
        recordedAtMilliseconds = record.recordedAtMilliseconds
        kind = record.kind.rawValue
        itemID = record.itemID
        channel = record.channel
        amountFen = record.amountFen
        currency = record.currency
        orderReference = record.orderReference
        maskedAccount = record.maskedAccount
        reversalOf = record.reversalOf
        previousHash = record.previousHash
        hash = record.hash
        signature = record.signature
    }

    /// The record as stored; an unknown kind reads as a payment, and the verifier then finds
    /// the hash does not match.
    var record: LedgerRecord {
        var record = LedgerRecord(
            terminal: terminal, sequence: sequence, recordedAt: Date(timeIntervalSince1970: 0),
            kind: LedgerRecord.Kind(rawValue: kind) ?? .payment, itemID: itemID, channel: channel, amountFen: amountFen,
            currency: currency, orderReference: orderReference, maskedAccount: maskedAccount, reversalOf: reversalOf,
            previousHash: previousHash, hash: hash, signature: signature
        )
        record.recordedAtMilliseconds = recordedAtMilliseconds
        return record
    }
}

/// A row of `ledgerHead`: each terminal's last sealed record, written in the same
/// transaction as the record, so a record deleted from the tail is found.
public struct LedgerHeadRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ledgerHead"
    public var terminal: String
    public var sequence: Int64
    public var hash: String
}
