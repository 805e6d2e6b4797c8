import Foundation

/// One immutable line of the payment ledger: a payment the centre confirmed, or the
/// reversal of one. Records of a terminal are numbered from 1 without gaps and chained:
/// each carries the hash of the one before it (`previousHash`), its own hash over the
/// canonical encoding (see `LEDGER-FORMAT.md` beside this file) and the kiosk's Ed25519
/// signature of that hash. Changing, removing, inserting or reordering a record after it
/// was sealed is therefore found by `LedgerVerifier`.
///
/// Records are made by `LedgerChain.seal`; a record read back from the store or an export
/// is built with `init` and trusted only after `LedgerVerifier` walked it.
public struct LedgerRecord: Sendable, Hashable, Codable {
    /// What a record says happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// Money taken: a positive amount.
        case payment
        /// A correction: the negated amount of the payment named by `reversalOf`.
        case reversal
    }

    /// The terminal that recorded it, e.g. "hall-1"; sequences count per terminal.
    public var terminal: String
    /// 1 for a terminal's first record, then one more for each record, without gaps.
    public var sequence: Int64
    /// When it was recorded, in whole milliseconds since 1970-01-01T00:00:00Z: the ledger's
    /// time unit, held as an integer so that what is stored is exactly what was hashed.
    public var recordedAtMilliseconds: Int64
    public var kind: Kind
    /// The catalog item paid for, e.g. "water-bill".
    public var itemID: String
    /// How it was paid, e.g. "qr", "card".
    public var channel: String
    /// Fen; positive for a payment, the original's negated amount for a reversal.
    public var amountFen: Int64
    /// ISO 4217, "CNY".
    public var currency: String
    /// The centre's payment order (or, for a reversal, the correction's own reference);
    /// unique across the whole ledger, so one confirmation never records twice.
    public var orderReference: String
    /// The payer's account as it may appear on paper, e.g. "3101****5678".
    public var maskedAccount: String
    /// For a reversal, the sequence (same terminal) of the payment it reverses; nil for a
    /// payment.
    public var reversalOf: Int64?
    /// Lowercase hex of the previous record's hash; `LedgerChain.genesisHash` (64 zeros) for
    /// a terminal's first record.
    public var previousHash: String
    /// Lowercase hex of SHA-256 over `canonicalBytes`.
    public var hash: String
    /// Lowercase hex of the Ed25519 signature over the 32 raw bytes of `hash`.
    public var signature: String

    /// A record with these fields, as read back; `recordedAt` is cut to whole milliseconds.
    public init(
        terminal: String, sequence: Int64, recordedAt: Date, kind: Kind, itemID: String, channel: String,
        amountFen: Int64, currency: String = "CNY", orderReference: String, maskedAccount: String,
        reversalOf: Int64? = nil, previousHash: String, hash: String, signature: String
    ) {
        self.terminal = terminal
        self.sequence = sequence
        self.recordedAtMilliseconds = LedgerTime.milliseconds(of: recordedAt)
        self.kind = kind
        self.itemID = itemID
        self.channel = channel
        self.amountFen = amountFen
        self.currency = currency
        self.orderReference = orderReference
        self.maskedAccount = maskedAccount
        self.reversalOf = reversalOf
        self.previousHash = previousHash
        self.hash = hash
        self.signature = signature
    }

    /// `recordedAtMilliseconds` as a `Date`.
    public var recordedAt: Date { LedgerTime.date(milliseconds: recordedAtMilliseconds) }

    /// Where the chain stands after this record.
    public var head: LedgerHead { LedgerHead(sequence: sequence, hash: hash) }

    /// The fields the caller chose, without what sealing added.
    public var entry: LedgerEntry {
        LedgerEntry(
            recordedAt: recordedAt, kind: kind, itemID: itemID, channel: channel, amountFen: amountFen,
            currency: currency, orderReference: orderReference, maskedAccount: maskedAccount, reversalOf: reversalOf
        )
    }
}

/// What a caller records: a ledger record before `LedgerChain.seal` numbers, links, hashes
/// and signs it.
public struct LedgerEntry: Sendable, Hashable, Codable {
    /// Whole milliseconds since 1970 (see `LedgerRecord.recordedAtMilliseconds`).
    public var recordedAtMilliseconds: Int64
    public var kind: LedgerRecord.Kind
    public var itemID: String
    public var channel: String
    public var amountFen: Int64
    public var currency: String
    public var orderReference: String
    public var maskedAccount: String
    public var reversalOf: Int64?

    /// An entry; `recordedAt` is cut to whole milliseconds (towards the past).
    public init(
        recordedAt: Date, kind: LedgerRecord.Kind, itemID: String, channel: String, amountFen: Int64,
        currency: String = "CNY", orderReference: String, maskedAccount: String, reversalOf: Int64? = nil
    ) {
        self.recordedAtMilliseconds = LedgerTime.milliseconds(of: recordedAt)
        self.kind = kind
        self.itemID = itemID
        self.channel = channel
        self.amountFen = amountFen
        self.currency = currency
        self.orderReference = orderReference
        self.maskedAccount = maskedAccount
        self.reversalOf = reversalOf
    }

    /// A payment the centre confirmed.
    public static func payment(
        recordedAt: Date, itemID: String, channel: String, amountFen: Int64, currency: String = "CNY",
        orderReference: String, maskedAccount: String
    ) -> LedgerEntry {
        LedgerEntry(
            recordedAt: recordedAt, kind: .payment, itemID: itemID, channel: channel, amountFen: amountFen,
            currency: currency, orderReference: orderReference, maskedAccount: maskedAccount
        )
    }

    /// The correction of `original` (a payment of the same terminal): same item, channel,
    /// currency and account, the negated amount, and its own unique `orderReference`.
    public static func reversal(of original: LedgerRecord, recordedAt: Date, orderReference: String) -> LedgerEntry {
        LedgerEntry(
            recordedAt: recordedAt, kind: .reversal, itemID: original.itemID, channel: original.channel,
            amountFen: 0 &- original.amountFen, currency: original.currency, orderReference: orderReference,
            maskedAccount: original.maskedAccount, reversalOf: original.sequence
        )
    }

    public var recordedAt: Date { LedgerTime.date(milliseconds: recordedAtMilliseconds) }
}

/// Where a terminal's chain stands: its last record's sequence and hash. A terminal without
/// records stands at `LedgerHead.genesis`.
public struct LedgerHead: Sendable, Hashable, Codable, CustomStringConvertible {
    public var sequence: Int64
    /// Lowercase hex.
    public var hash: String

    public init(sequence: Int64, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }

    /// Before a terminal's first record: sequence 0, 64 zeros.
    public static let genesis = LedgerHead(sequence: 0, hash: LedgerChain.genesisHash)

    /// "42 3f1c…" style: the sequence and the full hash.
    public var description: String { "\(sequence) \(hash)" }
}
