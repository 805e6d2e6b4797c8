import Foundation
import KioskCore
import KioskSigning
import Testing

@Suite("Ledger verification with signatures on every core")
struct LedgerParallelVerifyTests {
    let signer = SwiftCryptoLedger.generate()

    @Test("Checking signatures in parallel gives the walk's verdict on every kind of tampering")
    func sameVerdictAsTheWalk() async throws {
        // Given two terminals' chains and a set of tampered copies
        let one = try LedgerFixtures.chain(40, terminal: "hall-1", signer: signer)
        let two = try LedgerFixtures.chain(25, terminal: "hall-2", signer: signer, references: "b-")
        let intact = one + two
        var cases: [(String, [LedgerRecord], [String: LedgerHead])] = [("intact", intact, ["hall-1": one[39].head])]
        var edited = intact
        edited[10].amountFen += 1
        cases.append(("edited", edited, [:]))
        var resigned = intact
        resigned[7].signature = intact[6].signature
        cases.append(("signature copied", resigned, [:]))
        var both = intact
        both[30].previousHash = LedgerChain.genesisHash
        both[12].signature = "00"
        both[45].signature = intact[44].signature
        cases.append(("bad signature before a broken link, and one on the other terminal", both, [:]))
        var late = intact
        late[5].previousHash = LedgerChain.genesisHash
        late[20].signature = "zz"
        cases.append(("bad signature after a broken link", late, [:]))
        var afterHead = intact
        afterHead[38].signature = "00"
        cases.append(("bad signature after a replaced head", afterHead, ["hall-1": LedgerHead(sequence: 20, hash: String(repeating: "a", count: 64))]))
        var reused = intact
        // (recorded later than hall-1's order-4, so it is the second use)
        var duplicate = try LedgerChain(signer: signer).seal(
            LedgerFixtures.payment(90, reference: "order-4"), terminal: "hall-2", after: two[24].head
        )
        duplicate.signature = "00"
        reused.append(duplicate)
        cases.append(("bad signature on a record that reuses an order reference", reused, [:]))
        cases.append(("deleted", intact.enumerated().filter { $0.offset != 17 }.map(\.element), [:]))
        cases.append(("truncated", Array(intact.dropFirst(35)), ["hall-1": one[39].head]))
        let verifier = LedgerFixtures.verifier(for: signer)
        #expect(verifier.verify(intact).isIntact)
        #expect(verifier.verify(reused).firstBreak == LedgerBreak(terminal: "hall-2", sequence: 26, reason: .badSignature))
        for (name, records, heads) in cases {
            for workers in [1, 2, 5] {
                // When each is verified by the walk and with signatures spread over workers
                let walk = verifier.verify(records.shuffled(), expectedHeads: heads)
                let parallel = await verifier.verify(records.shuffled(), expectedHeads: heads, workers: workers)
                // Then the verdicts are the same: breaks, heads and the count proved
                #expect(parallel == walk, "\(name), \(workers) workers")
            }
        }
        // And from a later sequence as well
        let walk = verifier.verify(resigned, from: 5)
        #expect(await verifier.verify(resigned, from: 5, workers: 3) == walk)
        #expect(walk.firstBreak == LedgerBreak(terminal: "hall-1", sequence: 8, reason: .badSignature))
    }
}
