/// Seals ledger records: numbers each after its terminal's head, links it to the head's
/// hash, hashes its canonical encoding and signs the hash, all through the signer port.
/// Pure: the caller reads the head and stores the record (in one transaction, so that two
/// records never get the same sequence).
public struct LedgerChain: Sendable {
    /// The `previousHash` of a terminal's first record: 64 zeros.
    public static let genesisHash = String(repeating: "0", count: 64)

    public let signer: any LedgerSigner

    public init(signer: any LedgerSigner) {
        self.signer = signer
    }

    /// The record that follows `head` on `terminal` (`.genesis` for a terminal's first):
    /// sequence `head.sequence + 1`, `previousHash` = `head.hash`, and its own hash and
    /// signature. Throws `LedgerError` when a field cannot be encoded, the entry breaks
    /// the rules of its kind, or signing fails; then nothing is sealed. The original of a
    /// reversal is not checked here (the chain does not see it): the store checks that
    /// `reversalOf` names a payment of this terminal with the negated amount, not reversed
    /// before, and `LedgerVerifier` checks it again.
    public func seal(_ entry: LedgerEntry, terminal: String, after head: LedgerHead = .genesis) throws -> LedgerRecord {
        guard head.sequence < .max else { throw LedgerError.sequenceExhausted(terminal: terminal) }
        var record = LedgerRecord(
            terminal: terminal, sequence: head.sequence + 1, recordedAt: entry.recordedAt, kind: entry.kind,
            itemID: entry.itemID, channel: entry.channel, amountFen: entry.amountFen, currency: entry.currency,
            orderReference: entry.orderReference, maskedAccount: entry.maskedAccount, reversalOf: entry.reversalOf,
            previousHash: head.hash, hash: "", signature: ""
        )
        record.recordedAtMilliseconds = entry.recordedAtMilliseconds
        if let problem = record.kindProblem { throw LedgerError.invalidField(problem.field, problem.reason) }
        let digest = signer.sha256(try record.canonicalBytes())
        let signature: [UInt8]
        do {
            signature = try signer.sign(digest)
        } catch {
            throw LedgerError.signingFailed(String(describing: error))
        }
        record.hash = LedgerHex.encode(digest)
        record.signature = LedgerHex.encode(signature)
        return record
    }

    /// Seals `entries` one after another from `head`: the chain of `terminal` after them.
    public func seal(_ entries: [LedgerEntry], terminal: String, after head: LedgerHead = .genesis) throws -> [LedgerRecord] {
        var head = head
        return try entries.map { entry in
            let record = try seal(entry, terminal: terminal, after: head)
            head = record.head
            return record
        }
    }
}
