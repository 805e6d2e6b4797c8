/// The first place a terminal's chain stops proving itself, and why.
public struct LedgerBreak: Sendable, Hashable, CustomStringConvertible {
    /// Why the record at `sequence` is not proved.
    public enum Reason: Sendable, Hashable {
        /// A record is missing before this one (deleted, or the numbering edited):
        /// `expected` was due here.
        case sequenceGap(expected: Int64)
        /// A second record with the same terminal and sequence.
        case duplicateSequence
        /// Its `previousHash` is not the hash of the record before it (`expected`): a
        /// record was deleted, inserted or moved here.
        case previousHashMismatch(expected: String)
        /// Its fields do not hash to its `hash`: the record was edited.
        case hashMismatch
        /// A field cannot be encoded canonically, or it breaks the rules of its kind.
        case invalidField(field: String, reason: String)
        /// Its signature is not the kiosk key's signature of its hash: forged, or signed by
        /// another key.
        case badSignature
        /// Its order reference was recorded before, at `terminal`/`sequence`.
        case duplicateOrderReference(terminal: String, sequence: Int64)
        /// A reversal whose `reversalOf` names no record of its terminal.
        case reversalTargetMissing(Int64)
        /// A reversal of something that is not a payment, with another amount than the
        /// payment's negation, or of a payment already reversed.
        case reversalMismatch(target: Int64, problem: String)
        /// The records end before the expected head's sequence: the tail was cut off.
        case truncated(expected: LedgerHead)
        /// The record at the expected head's sequence has another hash.
        case headMismatch(expected: LedgerHead)
    }

    public var terminal: String
    public var sequence: Int64
    public var reason: Reason

    public init(terminal: String, sequence: Int64, reason: Reason) {
        self.terminal = terminal
        self.sequence = sequence
        self.reason = reason
    }

    /// What a technician reads: "hall-1 #42: hash mismatch (the record was edited)".
    public var description: String { "\(terminal) #\(sequence): \(reason.description)" }
}

extension LedgerBreak.Reason: CustomStringConvertible {
    /// A short stable name for JSON and exit reports, e.g. "hash-mismatch".
    public var code: String {
        switch self {
        case .sequenceGap: "sequence-gap"
        case .duplicateSequence: "duplicate-sequence"
        case .previousHashMismatch: "previous-hash-mismatch"
        case .hashMismatch: "hash-mismatch"
        case .invalidField: "invalid-field"
        case .badSignature: "bad-signature"
        case .duplicateOrderReference: "duplicate-order-reference"
        case .reversalTargetMissing: "reversal-target-missing"
        case .reversalMismatch: "reversal-mismatch"
        case .truncated: "truncated"
        case .headMismatch: "head-mismatch"
        }
    }

    public var description: String {
        switch self {
        case .sequenceGap(let expected):
            "sequence gap: \(expected) expected here (a record was deleted or renumbered)"
        case .duplicateSequence:
            "duplicate sequence number (a record was inserted)"
        case .previousHashMismatch(let expected):
            "previous hash does not match the record before (\(expected.prefix(16))…): a record was deleted, inserted or moved"
        case .hashMismatch:
            "hash does not match the record's fields (the record was edited)"
        case .invalidField(let field, let reason):
            "field \(field) is invalid: \(reason)"
        case .badSignature:
            "signature is not the kiosk key's (forged or signed by another key)"
        case .duplicateOrderReference(let terminal, let sequence):
            "order reference already recorded at \(terminal) #\(sequence)"
        case .reversalTargetMissing(let target):
            "reversal of #\(target), which does not exist"
        case .reversalMismatch(let target, let problem):
            "reversal of #\(target) does not match it: \(problem)"
        case .truncated(let expected):
            "records end before the expected head #\(expected.sequence) (the tail was cut off)"
        case .headMismatch(let expected):
            "hash differs from the expected head \(expected.hash.prefix(16))…"
        }
    }
}
