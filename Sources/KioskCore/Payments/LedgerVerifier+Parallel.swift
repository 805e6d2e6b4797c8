extension LedgerVerifier {
    /// The same verdict as `verify(_:from:expectedHeads:)`, with the Ed25519 checks spread
    /// over `workers` tasks: the chain (sequence, links, hashes, references, reversals,
    /// heads) is walked first without signatures, then every record the walk proved has
    /// its signature checked in parallel, and a terminal whose proved part holds a bad
    /// signature breaks at its first one. A signature is over the record's hash, and the
    /// walk has proved each hash to be its record's, so checking the stored hash is
    /// checking the record.
    ///
    /// SHA-256 over a million records takes about a second; their signatures take one to
    /// two minutes on one core, which is why they are the part spread out.
    public func verify(
        _ records: [LedgerRecord], from: Int64 = 1, expectedHeads: [String: LedgerHead] = [:], workers: Int
    ) async -> LedgerVerification {
        var result = verify(records, from: from, expectedHeads: expectedHeads, checkingSignatures: false)
        // The records the walk went through, and a break's own record when the walk would
        // have checked its signature before finding what broke it.
        let checkedBreak = Dictionary(uniqueKeysWithValues: result.breaks.compactMap { found in
            found.reason.isFoundAfterSignature ? (found.terminal, found.sequence) : nil
        })
        let proved = records.filter { record in
            record.sequence >= from
                && (record.sequence <= result.heads[record.terminal]?.sequence ?? 0 || record.sequence == checkedBreak[record.terminal])
        }
        let badSignatures = await firstBadSignatures(proved, workers: max(1, workers))
        guard !badSignatures.isEmpty else { return result }

        let bySequence = Dictionary(records.map { (RecordKey($0), $0) }, uniquingKeysWith: { first, _ in first })
        for (terminal, sequence) in badSignatures {
            // The records proved from the bad one on are not proved (none when the bad one is
            // the break's own record, which was never counted).
            let head = result.heads[terminal]?.sequence ?? (sequence - 1)
            result.verifiedCount -= Int(max(0, head - sequence + 1))
            result.heads[terminal] = bySequence[RecordKey(terminal: terminal, sequence: sequence - 1)]?.head
            result.breaks.removeAll { $0.terminal == terminal }
            result.breaks.append(LedgerBreak(terminal: terminal, sequence: sequence, reason: .badSignature))
        }
        result.breaks.sort { $0.terminal < $1.terminal }
        return result
    }

    /// Per terminal, the lowest sequence among `records` whose signature is not the key's.
    private func firstBadSignatures(_ records: [LedgerRecord], workers: Int) async -> [String: Int64] {
        let chunk = max(1, (records.count + workers - 1) / workers)
        let crypto = crypto, publicKey = publicKey
        return await withTaskGroup(of: [String: Int64].self) { group in
            for start in stride(from: 0, to: records.count, by: chunk) {
                let slice = records[start..<min(records.count, start + chunk)]
                group.addTask {
                    var bad: [String: Int64] = [:]
                    for record in slice {
                        guard let digest = LedgerHex.decode(record.hash), let signature = LedgerHex.decode(record.signature),
                              crypto.isValidSignature(signature, of: digest, publicKey: publicKey)
                        else {
                            bad[record.terminal] = min(bad[record.terminal] ?? .max, record.sequence)
                            continue
                        }
                    }
                    return bad
                }
            }
            var all: [String: Int64] = [:]
            for await bad in group { all.merge(bad) { min($0, $1) } }
            return all
        }
    }
}

extension LedgerBreak.Reason {
    /// Whether the walk checks a record's signature before it can find this break at it.
    fileprivate var isFoundAfterSignature: Bool {
        switch self {
        case .duplicateOrderReference, .reversalTargetMissing, .reversalMismatch: true
        default: false
        }
    }
}

/// A record's place: its terminal and sequence.
private struct RecordKey: Hashable {
    var terminal: String
    var sequence: Int64

    init(terminal: String, sequence: Int64) {
        self.terminal = terminal
        self.sequence = sequence
    }

    init(_ record: LedgerRecord) {
        self.init(terminal: record.terminal, sequence: record.sequence)
    }
}
