/// What `LedgerVerifier` found.
public struct LedgerVerification: Sendable, Hashable {
    /// Records whose sequence, link, hash and signature were checked and held.
    public var verifiedCount: Int
    /// Per terminal, the last record that was proved (before any break).
    public var heads: [String: LedgerHead]
    /// The first break of each broken terminal, by terminal name.
    public var breaks: [LedgerBreak]

    /// True when no terminal broke.
    public var isIntact: Bool { breaks.isEmpty }
    /// The break to report first: the first broken terminal's (by name).
    public var firstBreak: LedgerBreak? { breaks.first }
}

/// Walks ledger records and finds, per terminal, the first record that does not prove
/// itself: a sequence gap or duplicate, a `previousHash` that is not the hash of the record
/// before (a record deleted, inserted or moved), a hash that is not its fields' (an edit),
/// a signature that is not the kiosk key's, an order reference recorded twice, a reversal
/// of nothing; and, given the heads the caller expects, a cut-off tail. Pure: hashes and
/// signatures go through the `LedgerCrypto` port.
public struct LedgerVerifier: Sendable {
    public let crypto: any LedgerCrypto
    /// The raw 32-byte Ed25519 key that must have signed every record.
    public let publicKey: [UInt8]

    public init(crypto: any LedgerCrypto, publicKey: [UInt8]) {
        self.crypto = crypto
        self.publicKey = publicKey
    }

    /// Verifies `records` (in any order, of any terminals) from sequence `from` of each
    /// terminal on. Records before `from` are trusted, not checked: the one at `from - 1`,
    /// when given, supplies the hash the record at `from` must link to; when it is not
    /// given, the first checked record's `previousHash` is trusted. From 1, a terminal's
    /// first record must be sequence 1 and link to `LedgerChain.genesisHash`.
    ///
    /// `expectedHeads` are the heads the caller knows (the store's last record, a receipt,
    /// an earlier settlement): a terminal whose records stop before one is truncated; one
    /// whose record at that sequence has another hash is broken there. A reversal's target
    /// is checked when it is among `records`; a target below every given record of its
    /// terminal cannot be seen and is trusted. `checkingSignatures: false` skips only the
    /// Ed25519 checks (to time the chain apart from the signatures).
    public func verify(
        _ records: [LedgerRecord], from: Int64 = 1, expectedHeads: [String: LedgerHead] = [:],
        checkingSignatures: Bool = true
    ) -> LedgerVerification {
        // Grouped by terminal as indices, not copies: a million records are a lot of strings.
        var byTerminal: [String: [Int]] = [:]
        for (index, record) in records.enumerated() { byTerminal[record.terminal, default: []].append(index) }
        for terminal in expectedHeads.keys where byTerminal[terminal] == nil { byTerminal[terminal] = [] }

        // Who recorded each order reference first: earliest time, then terminal, then
        // sequence. One pass keeping the least, not a sort of the whole ledger.
        var firstUse: [String: FirstUse] = [:]
        firstUse.reserveCapacity(records.count)
        for record in records {
            let candidate = FirstUse(record)
            if let known = firstUse[record.orderReference], known <= candidate { continue }
            firstUse[record.orderReference] = candidate
        }

        var result = LedgerVerification(verifiedCount: 0, heads: [:], breaks: [])
        for terminal in byTerminal.keys.sorted() {
            var indices = byTerminal[terminal]!
            // The store reads in sequence order: sort only when it is not.
            if !zip(indices, indices.dropFirst()).allSatisfy({ records[$0].sequence <= records[$1].sequence }) {
                indices.sort { records[$0].sequence < records[$1].sequence }
            }
            let walk = verifyTerminal(
                terminal, indices.map { records[$0] }, from: max(from, 1),
                expectedHead: expectedHeads[terminal], firstUse: firstUse, checkingSignatures: checkingSignatures
            )
            result.verifiedCount += walk.count
            if let head = walk.head { result.heads[terminal] = head }
            if let found = walk.found { result.breaks.append(found) }
        }
        return result
    }

    private func verifyTerminal(
        _ terminal: String, _ sorted: [LedgerRecord], from: Int64, expectedHead: LedgerHead?,
        firstUse: [String: FirstUse], checkingSignatures: Bool
    ) -> (count: Int, head: LedgerHead?, found: LedgerBreak?) {
        // The record at a sequence, by binary search over the sorted records; the first of
        // two with one sequence.
        func stored(at sequence: Int64) -> LedgerRecord? {
            var low = 0, high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle].sequence < sequence { low = middle + 1 } else { high = middle }
            }
            return low < sorted.count && sorted[low].sequence == sequence ? sorted[low] : nil
        }
        let lowestGiven = sorted.first?.sequence ?? from

        var expectedSequence = from
        var expectedPrevious: String? = from == 1 ? LedgerChain.genesisHash : stored(at: from - 1)?.hash
        var head: LedgerHead? = from > 1 ? stored(at: from - 1)?.head : nil
        var count = 0
        var reversed: Set<Int64> = []

        func broken(_ sequence: Int64, _ reason: LedgerBreak.Reason) -> (Int, LedgerHead?, LedgerBreak?) {
            (count, head, LedgerBreak(terminal: terminal, sequence: sequence, reason: reason))
        }

        for (index, record) in sorted.enumerated() where record.sequence >= from {
            // Either copy of a duplicated sequence breaks there, whichever the sort put first.
            if index + 1 < sorted.count, sorted[index + 1].sequence == record.sequence {
                return broken(record.sequence, .duplicateSequence)
            }
            guard record.sequence == expectedSequence else {
                return broken(record.sequence, .sequenceGap(expected: expectedSequence))
            }
            if let expectedPrevious, record.previousHash != expectedPrevious {
                return broken(record.sequence, .previousHashMismatch(expected: expectedPrevious))
            }
            let bytes: [UInt8]
            do {
                bytes = try record.canonicalBytes()
            } catch let error as LedgerError {
                return broken(record.sequence, .invalidField(field: error.field ?? "?", reason: error.description))
            } catch {
                return broken(record.sequence, .invalidField(field: "?", reason: String(describing: error)))
            }
            let digest = crypto.sha256(bytes)
            guard LedgerHex.encode(digest) == record.hash else { return broken(record.sequence, .hashMismatch) }
            if checkingSignatures {
                guard let signature = LedgerHex.decode(record.signature),
                      crypto.isValidSignature(signature, of: digest, publicKey: publicKey)
                else { return broken(record.sequence, .badSignature) }
            }
            if let problem = record.kindProblem {
                return broken(record.sequence, .invalidField(field: problem.field, reason: problem.reason))
            }
            if let first = firstUse[record.orderReference], first.terminal != terminal || first.sequence != record.sequence {
                return broken(record.sequence, .duplicateOrderReference(terminal: first.terminal, sequence: first.sequence))
            }
            if record.kind == .reversal, let target = record.reversalOf {
                if let original = stored(at: target) {
                    if original.kind != .payment {
                        return broken(record.sequence, .reversalMismatch(target: target, problem: "it is not a payment"))
                    }
                    if original.amountFen != 0 &- record.amountFen {
                        return broken(record.sequence, .reversalMismatch(target: target, problem: "the amount is not its negation"))
                    }
                    if reversed.contains(target) {
                        return broken(record.sequence, .reversalMismatch(target: target, problem: "it was reversed before"))
                    }
                    reversed.insert(target)
                } else if target >= lowestGiven {
                    return broken(record.sequence, .reversalTargetMissing(target))
                }
            }
            count += 1
            head = record.head
            expectedPrevious = record.hash
            expectedSequence = record.sequence + 1
        }

        if let expected = expectedHead, expected.sequence >= from {
            guard let last = head, last.sequence >= expected.sequence else {
                return broken((head?.sequence ?? from - 1) + 1, .truncated(expected: expected))
            }
            if stored(at: expected.sequence)?.hash != expected.hash {
                return broken(expected.sequence, .headMismatch(expected: expected))
            }
        }
        return (count, head, nil)
    }
}

/// The first use of an order reference: ordered by time, then terminal, then sequence.
struct FirstUse: Comparable {
    var milliseconds: Int64
    var terminal: String
    var sequence: Int64

    init(_ record: LedgerRecord) {
        milliseconds = record.recordedAtMilliseconds
        terminal = record.terminal
        sequence = record.sequence
    }

    static func < (lhs: FirstUse, rhs: FirstUse) -> Bool {
        (lhs.milliseconds, lhs.terminal, lhs.sequence) < (rhs.milliseconds, rhs.terminal, rhs.sequence)
    }
}
