import Foundation
import KioskCore
import KioskSigning
import Testing

@Suite("Ledger chain and verification")
struct LedgerVerifierTests {
    let signer = SwiftCryptoLedger.generate()

    @Test("A sealed chain numbers from 1, links each record to the one before and verifies")
    func chainVerifies() throws {
        // Given 50 payments sealed one after another
        let records = try LedgerFixtures.chain(50, signer: signer)
        // When the chain is verified (in shuffled order, with the head the store knows)
        let result = LedgerFixtures.verifier(for: signer).verify(records.shuffled(), expectedHeads: ["hall-1": records[49].head])
        // Then every record is proved and the head is the last record's
        #expect(records.map(\.sequence) == Array(1...50))
        #expect(records[0].previousHash == LedgerChain.genesisHash)
        #expect(zip(records, records.dropFirst()).allSatisfy { $0.hash == $1.previousHash })
        #expect(result.isIntact, "\(String(describing: result.firstBreak))")
        #expect(result.verifiedCount == 50)
        #expect(result.heads["hall-1"] == LedgerHead(sequence: 50, hash: records[49].hash))
        #expect(records.allSatisfy { $0.hash.count == 64 && $0.signature.count == 128 })
    }

    @Test("Terminals chain apart, and continuing from a head carries on the sequence")
    func terminalsAndContinuation() throws {
        // Given two terminals, the second sealed in two batches
        let chain = LedgerChain(signer: signer)
        let first = try LedgerFixtures.chain(3, terminal: "hall-1", signer: signer)
        let early = try LedgerFixtures.chain(2, terminal: "hall-2", signer: signer, references: "b-")
        let later = try chain.seal(LedgerFixtures.payment(9, reference: "b-late"), terminal: "hall-2", after: early[1].head)
        // When all are verified together
        let result = LedgerFixtures.verifier(for: signer).verify((first + early + [later]).shuffled())
        // Then both terminals verify with their own heads
        #expect(later.sequence == 3 && later.previousHash == early[1].hash)
        #expect(result.isIntact)
        #expect(result.heads["hall-1"]?.sequence == 3 && result.heads["hall-2"]?.sequence == 3)
    }

    @Test("Sealing refuses what breaks a kind's rules and records nothing")
    func sealRefuses() {
        // Given a zero payment and a reversal with a positive amount
        let chain = LedgerChain(signer: signer)
        let zero = LedgerFixtures.payment(1, amountFen: 0)
        var positiveReversal = LedgerFixtures.payment(2)
        positiveReversal.kind = .reversal
        positiveReversal.reversalOf = 1
        // When they are sealed
        // Then both are refused with the field named
        #expect(throws: LedgerError.self) { try chain.seal(zero, terminal: "hall-1") }
        #expect(throws: LedgerError.self) { try chain.seal(positiveReversal, terminal: "hall-1", after: LedgerHead(sequence: 1, hash: LedgerChain.genesisHash)) }
    }

    @Test("An edited amount is found at the edited record as a hash mismatch")
    func editedAmount() throws {
        // Given a chain whose fifth record's amount was changed by hand
        var records = try LedgerFixtures.chain(10, signer: signer)
        records[4].amountFen = 1
        // When it is verified
        let result = LedgerFixtures.verifier(for: signer).verify(records)
        // Then the break is that record, hash mismatch, and the four before it are proved
        #expect(result.firstBreak == LedgerBreak(terminal: "hall-1", sequence: 5, reason: .hashMismatch))
        #expect(result.heads["hall-1"]?.sequence == 4)
        #expect(result.firstBreak?.description.hasPrefix("hall-1 #5: hash does not match") == true)
    }

    @Test("A deleted middle record is found as a gap, and as a broken link when the rest was renumbered")
    func deletedRecord() throws {
        // Given a chain with its third record deleted
        let records = try LedgerFixtures.chain(6, signer: signer)
        var deleted = records
        deleted.remove(at: 2)
        // When it is verified
        let verifier = LedgerFixtures.verifier(for: signer)
        // Then the break is at 4, where 3 was expected
        #expect(verifier.verify(deleted).firstBreak == LedgerBreak(terminal: "hall-1", sequence: 4, reason: .sequenceGap(expected: 3)))
        // And when the later records were renumbered to hide the gap, record 3 does not link to 2
        var renumbered = deleted
        for index in 2..<renumbered.count { renumbered[index].sequence -= 1 }
        #expect(verifier.verify(renumbered).firstBreak == LedgerBreak(
            terminal: "hall-1", sequence: 3, reason: .previousHashMismatch(expected: records[1].hash)
        ))
    }

    @Test("A record inserted by someone without the kiosk key is found where it was inserted")
    func insertedRecord() throws {
        // Given a forged payment sealed with another key after record 2, the later records moved up one
        let records = try LedgerFixtures.chain(5, signer: signer)
        let forger = LedgerChain(signer: SwiftCryptoLedger.generate())
        let forged = try forger.seal(LedgerFixtures.payment(99, reference: "forged"), terminal: "hall-1", after: records[1].head)
        var tampered = Array(records[0..<2]) + [forged]
        for var record in records[2...] {
            record.sequence += 1
            tampered.append(record)
        }
        // When it is verified
        let verifier = LedgerFixtures.verifier(for: signer)
        // Then the forged record is the break: its link and hash hold, its signature does not
        #expect(verifier.verify(tampered).firstBreak == LedgerBreak(terminal: "hall-1", sequence: 3, reason: .badSignature))
        // And a record added beside an existing sequence is a duplicate
        var duplicate = records
        duplicate.append(try forger.seal(LedgerFixtures.payment(98, reference: "forged-2"), terminal: "hall-1", after: records[2].head))
        duplicate[5].sequence = 4
        #expect(verifier.verify(duplicate).firstBreak == LedgerBreak(terminal: "hall-1", sequence: 4, reason: .duplicateSequence))
    }

    @Test("Two records swapped are found as a broken link at the first of them")
    func reordered() throws {
        // Given records 3 and 4 swapped (each took the other's sequence number)
        let records = try LedgerFixtures.chain(6, signer: signer)
        var swapped = records
        swapped[2] = records[3]
        swapped[2].sequence = 3
        swapped[3] = records[2]
        swapped[3].sequence = 4
        // When it is verified
        let result = LedgerFixtures.verifier(for: signer).verify(swapped)
        // Then sequence 3 no longer links to 2
        #expect(result.firstBreak == LedgerBreak(terminal: "hall-1", sequence: 3, reason: .previousHashMismatch(expected: records[1].hash)))
    }

    @Test("A cut-off tail is found against the expected head, and a replaced head as a mismatch")
    func truncatedTail() throws {
        // Given a chain of 8 whose last two records were deleted, and the head the store recorded
        let records = try LedgerFixtures.chain(8, signer: signer)
        let expected = ["hall-1": records[7].head]
        let verifier = LedgerFixtures.verifier(for: signer)
        // When it is verified without and with the expected head
        // Then alone it looks whole; against the head it is truncated after 6
        #expect(verifier.verify(Array(records[0..<6])).isIntact)
        let result = verifier.verify(Array(records[0..<6]), expectedHeads: expected)
        #expect(result.firstBreak == LedgerBreak(terminal: "hall-1", sequence: 7, reason: .truncated(expected: records[7].head)))
        // And a terminal whose every record is gone is truncated at 1
        #expect(verifier.verify([], expectedHeads: expected).firstBreak?.sequence == 1)
        // And a head whose hash differs from the record at its sequence is a mismatch there
        let other = ["hall-1": LedgerHead(sequence: 8, hash: records[6].hash)]
        #expect(verifier.verify(records, expectedHeads: other).firstBreak?.reason == .headMismatch(expected: other["hall-1"]!))
    }

    @Test("Signatures by another key, or copied from another record, are bad signatures")
    func badSignature() throws {
        // Given a chain signed by the kiosk key
        let records = try LedgerFixtures.chain(4, signer: signer)
        // When it is verified with another kiosk's public key
        let stranger = LedgerFixtures.verifier(for: SwiftCryptoLedger.generate())
        // Then the very first record fails its signature
        #expect(stranger.verify(records).firstBreak == LedgerBreak(terminal: "hall-1", sequence: 1, reason: .badSignature))
        // And with the right key, a signature copied from another record, or not hex, fails
        var copied = records
        copied[2].signature = records[1].signature
        #expect(LedgerFixtures.verifier(for: signer).verify(copied).firstBreak == LedgerBreak(terminal: "hall-1", sequence: 3, reason: .badSignature))
        copied[2].signature = "zz"
        #expect(LedgerFixtures.verifier(for: signer).verify(copied).firstBreak?.reason == .badSignature)
        // And skipping signatures still proves the chain
        #expect(stranger.verify(records, checkingSignatures: false).isIntact)
    }

    @Test("An order reference recorded twice is a break at the later record, across terminals too")
    func duplicateOrderReference() throws {
        // Given a chain whose fourth payment reuses the second one's order reference
        let chain = LedgerChain(signer: signer)
        var entries = (1...5).map { LedgerFixtures.payment($0) }
        entries[3].orderReference = entries[1].orderReference
        let records = try chain.seal(entries, terminal: "hall-1")
        // When it is verified
        let verifier = LedgerFixtures.verifier(for: signer)
        // Then the break is at 4, naming where the reference was first recorded
        #expect(verifier.verify(records).firstBreak == LedgerBreak(
            terminal: "hall-1", sequence: 4, reason: .duplicateOrderReference(terminal: "hall-1", sequence: 2)
        ))
        // And another terminal recording the same confirmation later breaks there
        let good = try LedgerFixtures.chain(2, terminal: "hall-1", signer: signer)
        let late = try chain.seal(LedgerFixtures.payment(1, at: LedgerFixtures.start.addingTimeInterval(3600)), terminal: "hall-0")
        #expect(verifier.verify(good + [late]).breaks == [LedgerBreak(
            terminal: "hall-0", sequence: 1, reason: .duplicateOrderReference(terminal: "hall-1", sequence: 1)
        )])
    }

    @Test("A reversal verifies against its payment, and one of something else is a break")
    func reversals() throws {
        // Given a payment reversed once, then reversed again
        let chain = LedgerChain(signer: signer)
        let payments = try LedgerFixtures.chain(2, signer: signer)
        let reversal = try chain.seal(.reversal(of: payments[0], recordedAt: LedgerFixtures.start.addingTimeInterval(600), orderReference: "rev-1"),
                                      terminal: "hall-1", after: payments[1].head)
        let again = try chain.seal(.reversal(of: payments[0], recordedAt: LedgerFixtures.start.addingTimeInterval(700), orderReference: "rev-2"),
                                   terminal: "hall-1", after: reversal.head)
        let verifier = LedgerFixtures.verifier(for: signer)
        // When they are verified
        // Then the first reversal holds (negated amount, same terminal) and the second breaks
        #expect(reversal.amountFen == -payments[0].amountFen && reversal.reversalOf == 1)
        #expect(verifier.verify(payments + [reversal]).isIntact)
        #expect(verifier.verify(payments + [reversal, again]).firstBreak == LedgerBreak(
            terminal: "hall-1", sequence: 4, reason: .reversalMismatch(target: 1, problem: "it was reversed before")
        ))
        // And a reversal with another amount than its payment's negation breaks
        var entry = LedgerEntry.reversal(of: payments[1], recordedAt: LedgerFixtures.start, orderReference: "rev-3")
        entry.amountFen = -1
        let wrong = try chain.seal(entry, terminal: "hall-1", after: payments[1].head)
        #expect(verifier.verify(payments + [wrong]).firstBreak?.reason == .reversalMismatch(target: 2, problem: "the amount is not its negation"))
        // And a reversal of a later or missing sequence is refused when sealed
        entry.reversalOf = 3
        #expect(throws: LedgerError.self) { try chain.seal(entry, terminal: "hall-1", after: payments[1].head) }
    }

    @Test("Verifying from a sequence trusts the record before it and checks the rest")
    func fromSequence() throws {
        // Given a chain of 10 with record 3 edited
        var records = try LedgerFixtures.chain(10, signer: signer)
        records[2].amountFen += 1
        let verifier = LedgerFixtures.verifier(for: signer)
        // When it is verified from 5, with all records or only those from 5 on
        // Then the edit before 5 is not looked at and 5…10 are proved
        let all = verifier.verify(records, from: 5)
        #expect(all.isIntact && all.verifiedCount == 6 && all.heads["hall-1"]?.sequence == 10)
        #expect(verifier.verify(Array(records[4...]), from: 5).isIntact)
        // And from 1 the edit is found; an edit at 7 is found from 5
        #expect(verifier.verify(records).firstBreak?.sequence == 3)
        records[6].channel = "card"
        #expect(verifier.verify(records, from: 5).firstBreak == LedgerBreak(terminal: "hall-1", sequence: 7, reason: .hashMismatch))
        // And a record at 'from' that does not link to the trusted record before it breaks
        var relinked = try LedgerFixtures.chain(6, signer: signer)
        relinked.remove(at: 3)
        #expect(verifier.verify(relinked, from: 4).firstBreak?.reason == .sequenceGap(expected: 4))
    }
}
