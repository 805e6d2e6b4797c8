import Foundation
import KioskCore
import KioskSigning
import Testing

@Suite("Ledger canonical encoding")
struct LedgerCanonicalTests {
    static let record = LedgerRecord(
        terminal: "hall-1", sequence: 7, recordedAt: Date(timeIntervalSince1970: 1_795_000_000.123), kind: .payment,
        itemID: "water-bill", channel: "qr", amountFen: 123_450, orderReference: "7d0c8f4e-2b1a-4c3d-9e8f-001122334455",
        maskedAccount: "3101****5678", previousHash: String(repeating: "ab", count: 32), hash: "", signature: ""
    )

    @Test("A record encodes to the documented thirteen LF-ended lines, byte for byte")
    func goldenBytes() throws {
        // Given a payment record with every field set
        // When it is encoded
        let bytes = try Self.record.canonicalBytes()
        // Then the bytes are exactly the documented lines, and SHA-256 gives the hash
        // computed independently (Python's hashlib over the same text)
        let expected = """
            kioskd-ledger-v1
            terminal=hall-1
            sequence=7
            recorded_at=2026-11-18T11:06:40.123Z
            kind=payment
            item_id=water-bill
            channel=qr
            amount_fen=123450
            currency=CNY
            order_reference=7d0c8f4e-2b1a-4c3d-9e8f-001122334455
            masked_account=3101****5678
            reversal_of=
            previous_hash=\(String(repeating: "ab", count: 32))

            """
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
        #expect(bytes.last == 0x0A && !bytes.contains(0x0D))
        #expect(LedgerHex.encode(SwiftCryptoHashing().sha256(bytes)) == "94741d10688dfd80d0d44330df829fe6b29f03542f8524b6a33274914c13b419")
    }

    @Test("A reversal writes its negative amount, its target and Chinese text as UTF-8")
    func goldenReversal() throws {
        // Given the same record as a reversal of sequence 3 with a Chinese masked name
        var reversal = Self.record
        reversal.kind = .reversal
        reversal.amountFen = -123_450
        reversal.reversalOf = 3
        reversal.maskedAccount = "张*"
        // When it is encoded
        let bytes = try reversal.canonicalBytes()
        let text = String(decoding: bytes, as: UTF8.self)
        // Then the lines say so and the hash is the independently computed one
        #expect(text.contains("\nkind=reversal\n") && text.contains("\namount_fen=-123450\n") && text.contains("\nreversal_of=3\n"))
        #expect(LedgerHex.encode(SwiftCryptoHashing().sha256(bytes)) == "b1bea52ee05ba5376b6bd0f11d56739e4f70b00c8117c42f2e9cc899c88e7e1c")
    }

    @Test("Text that could blur a line or open as a spreadsheet formula is refused, not escaped")
    func refusesAmbiguousText() {
        // Given text values with a line feed, a carriage return, an escape, a leading '=' or '-', and an empty reference
        let cases: [(WritableKeyPath<LedgerRecord, String>, String, String)] = [
            (\.orderReference, "a\nprevious_hash=00", "order_reference"),
            (\.maskedAccount, "3101\r5678", "masked_account"),
            (\.itemID, "water\u{1B}[2J", "item_id"),
            (\.channel, "=HYPERLINK(1)", "channel"),
            (\.terminal, "-1", "terminal"),
            (\.orderReference, "", "order_reference"),
            (\.orderReference, String(repeating: "x", count: 257), "order_reference"),
        ]
        for (path, value, field) in cases {
            var record = Self.record
            record[keyPath: path] = value
            // When it is encoded
            // Then the encoding throws and names the field
            #expect(throws: LedgerError.self) { try record.canonicalBytes() }
            #expect((try? record.canonicalBytes()) == nil)
            do {
                _ = try record.canonicalBytes()
            } catch let error as LedgerError {
                #expect(error.field == field)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        // And '=' inside a value is fine: keys are fixed and a value runs to the line's end
        var withEquals = Self.record
        withEquals.orderReference = "ref=1=2"
        #expect((try? withEquals.canonicalBytes()) != nil)
    }

    @Test("Times are written in UTC to the millisecond without a date formatter, and read back")
    func times() {
        // Given moments at the epoch, on a leap day, at the year's last millisecond and at the limit
        let cases: [(Int64, String)] = [
            (0, "1970-01-01T00:00:00.000Z"),
            (951_782_400_000, "2000-02-29T00:00:00.000Z"),
            (1_795_000_000_123, "2026-11-18T11:06:40.123Z"),
            (1_798_761_599_999, "2026-12-31T23:59:59.999Z"),
            (LedgerTime.latest, "9999-12-31T23:59:59.999Z"),
        ]
        for (milliseconds, text) in cases {
            // When each is written and read back
            // Then it is the expected text and the same milliseconds
            #expect(LedgerTime.canonical(milliseconds: milliseconds) == text)
            #expect(LedgerTime.milliseconds(parsingCanonical: text) == milliseconds)
        }
        #expect(LedgerTime.canonical(milliseconds: -1) == nil)
        #expect(LedgerTime.milliseconds(parsingCanonical: "2026-02-29T00:00:00.000Z") == nil)
        #expect(LedgerTime.milliseconds(parsingCanonical: "2026-11-18 11:06:40.123Z") == nil)
        // And a Date made from whole milliseconds gives them back exactly
        for milliseconds: Int64 in [1_795_000_000_123, 1_795_000_000_001, 1_795_000_000_999, 999] {
            #expect(LedgerTime.milliseconds(of: LedgerTime.date(milliseconds: milliseconds)) == milliseconds)
        }
        #expect(LedgerTime.milliseconds(of: Date(timeIntervalSince1970: 1.2349)) == 1234)
    }

    @Test("Money shows yuan with thousands separators and two decimals, negatives too")
    func moneyDisplay() {
        // Given amounts in fen
        // When they are displayed
        // Then they read as the design's examples
        #expect(Money.display(0) == "¥0.00")
        #expect(Money.display(5) == "¥0.05")
        #expect(Money.display(123_450) == "¥1,234.50")
        #expect(Money.display(100_000_000) == "¥1,000,000.00")
        #expect(Money.display(99_999) == "¥999.99")
        #expect(Money.display(-123_450) == "-¥1,234.50")
        #expect(Money.display(-5) == "-¥0.05")
        #expect(Money.display(.min) == "-¥92,233,720,368,547,758.08")
        #expect(Money.plainYuan(123_450) == "1234.50")
        #expect(Money.plainYuan(-5) == "-0.05")
        // And the existing forms keep their output
        #expect(Money.yuan(123_450) == "¥1234.50")
        #expect(Money.fen(parsingYuan: "¥12.3") == 1230)
    }
}
