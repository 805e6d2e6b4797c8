import Foundation
import KioskCore
import KioskSigning
import Testing

@Suite("Daily settlement and exports")
struct SettlementTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let utc = TimeZone(identifier: "UTC")!
    static let day = CalendarDate(year: 2026, month: 11, day: 18)!
    /// 2026-11-18T00:00:00Z.
    static let utcMidnight: TimeInterval = 1_794_960_000
    let signer = SwiftCryptoLedger.generate()

    func sealed(_ entries: [LedgerEntry], terminal: String = "hall-1") throws -> [LedgerRecord] {
        try LedgerChain(signer: signer).seal(entries, terminal: terminal)
    }

    @Test("Totals are kept by item and channel, with reversals, counts and each terminal's span and head")
    func totals() throws {
        // Given two terminals' payments on one day, one of them reversed, and outside counts
        let at = Date(timeIntervalSince1970: Self.utcMidnight + 3600)
        let hall1 = try sealed([
            LedgerFixtures.payment(1, at: at, item: "water-bill", channel: "qr", amountFen: 12_345, reference: "a"),
            LedgerFixtures.payment(2, at: at + 60, item: "water-bill", channel: "qr", amountFen: 10_000, reference: "b"),
            LedgerFixtures.payment(3, at: at + 120, item: "power-bill", channel: "card", amountFen: 50_000, reference: "c"),
        ])
        let reversal = try LedgerChain(signer: signer).seal(
            .reversal(of: hall1[1], recordedAt: at + 180, orderReference: "b-rev"), terminal: "hall-1", after: hall1[2].head
        )
        let hall2 = try sealed([LedgerFixtures.payment(4, at: at + 30, item: "water-bill", channel: "qr", amountFen: 5, reference: "d")],
                               terminal: "hall-2")
        // When the day is settled in Shanghai
        let report = Settlement.report(day: Self.day, timeZone: Self.shanghai, records: hall1 + [reversal] + hall2,
                                       unprintedReceipts: 1, paidAfterSessionEnded: 2)
        // Then each item/channel has its counts and sums, and the totals add up
        #expect(report.lines == [
            SettlementReport.Line(itemID: "power-bill", channel: "card", paymentCount: 1, paymentFen: 50_000),
            SettlementReport.Line(itemID: "water-bill", channel: "qr", paymentCount: 3, paymentFen: 22_350, reversalCount: 1, reversalFen: -10_000),
        ])
        #expect(report.paymentCount == 4 && report.paymentFen == 72_350)
        #expect(report.reversalCount == 1 && report.reversalFen == -10_000 && report.netFen == 62_350)
        #expect(report.recordCount == 5)
        #expect(report.terminals.map(\.terminal) == ["hall-1", "hall-2"])
        #expect(report.terminals[0].firstSequence == 1 && report.terminals[0].lastSequence == 4 && report.terminals[0].head == reversal.head)
        #expect(report.terminals[1].head == hall2[0].head)
        #expect(report.reversals.map(\.reverses) == [2])
        #expect(report.unprintedReceipts == 1 && report.paidAfterSessionEnded == 2)
        // And the payments the centre compares are listed, the reversal not
        #expect(report.payments.map(\.orderReference) == ["a", "b", "c", "d"])
        // And the printed slip carries the lines, each terminal's sequences and head, and the reversal
        let slip = DailySettlement(report: report, reportHash: "ab", terminals: ["hall-1", "hall-3"])
        #expect(slip.terminals == ["hall-1", "hall-2", "hall-3"])
        #expect(slip.spans.first == DailySettlement.Span(terminal: "hall-1", firstSequence: 1, lastSequence: 4, head: reversal.hash))
        #expect(slip.count == 4 && slip.paymentFen == 72_350 && slip.netFen == 62_350)
        #expect(slip.reversals.map(\.reverses) == [2] && slip.unprintedReceipts == 1 && slip.paidAfterSession == 2)
    }

    @Test("A day without records settles as a zero report")
    func zeroDay() throws {
        // Given records only on another day
        let records = try sealed([LedgerFixtures.payment(1, at: Date(timeIntervalSince1970: Self.utcMidnight + 86_400 * 3))])
        // When the day is settled
        let report = Settlement.report(day: Self.day, timeZone: Self.shanghai, records: records)
        // Then every total is zero and the CSV still has its total row
        #expect(report.lines.isEmpty && report.terminals.isEmpty && report.reversals.isEmpty)
        #expect(report.paymentCount == 0 && report.netFen == 0 && report.recordCount == 0)
        #expect(report.csv.contains("\r\ntotal,2026-11-18,Asia/Shanghai,,,,0,0.00,0,0.00,0.00,"))
        let slip = DailySettlement(report: report, reportHash: "ab", terminals: ["hall-1"])
        #expect(slip.totals.isEmpty && slip.spans.isEmpty && slip.netFen == 0)
    }

    @Test("The hall's zone decides the day: Shanghai's midnight is 16:00 UTC the day before")
    func dayBoundaries() throws {
        // Given records just after Shanghai's midnight, at its last millisecond of the day, and at its next midnight
        let records = try sealed([
            LedgerFixtures.payment(1, at: Date(timeIntervalSince1970: Self.utcMidnight - 7.5 * 3600)),  // 17th 16:30Z = 18th 00:30 +08
            LedgerFixtures.payment(2, at: Date(timeIntervalSince1970: Self.utcMidnight + 57_599.999)),  // 18th 15:59:59.999Z = 23:59:59.999 +08
            LedgerFixtures.payment(3, at: Date(timeIntervalSince1970: Self.utcMidnight + 57_600)),  // 18th 16:00Z = 19th 00:00 +08
        ])
        // When the 18th is settled in Shanghai and in UTC
        let shanghai = Settlement.report(day: Self.day, timeZone: Self.shanghai, records: records)
        let utc = Settlement.report(day: Self.day, timeZone: Self.utc, records: records)
        // Then Shanghai's day holds the first two, UTC's the last two
        #expect(shanghai.terminals.first.map { [$0.firstSequence, $0.lastSequence] } == [1, 2])
        #expect(utc.terminals.first.map { [$0.firstSequence, $0.lastSequence] } == [2, 3])
        #expect(Settlement.interval(of: Self.day, in: Self.shanghai).lowerBound == Date(timeIntervalSince1970: Self.utcMidnight - 8 * 3600))
        // And the CSV shows the hall's local times
        #expect(shanghai.csv.contains("2026-11-18T00:30:00+08:00") && shanghai.csv.contains("2026-11-18T23:59:59+08:00"))
    }

    @Test("Exports are UTF-8 with a BOM, a header and CRLF line ends, amounts in yuan")
    func csvShape() throws {
        // Given a day with a payment whose account holds a comma-free Chinese mask and a reference with a comma
        let records = try sealed([
            LedgerEntry.payment(recordedAt: Date(timeIntervalSince1970: Self.utcMidnight + 3600), itemID: "水费", channel: "qr",
                                amountFen: 123_450, orderReference: "ref,1", maskedAccount: "张*"),
        ])
        let report = Settlement.report(day: Self.day, timeZone: Self.shanghai, records: records)
        // When the settlement and the ledger are exported
        for csv in [report.csv, LedgerExport.csv(records, timeZone: Self.shanghai)] {
            let bytes = Array(csv.utf8)
            // Then each starts with the BOM, ends every line with CRLF and has no bare LF
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(bytes.suffix(2) == [0x0D, 0x0A])
            let lines = csv.dropFirst().components(separatedBy: "\r\n")
            #expect(!lines.dropLast().contains { $0.contains("\n") })
            #expect(lines.last == "")
        }
        #expect(report.csv.dropFirst().hasPrefix(SettlementReport.csvHeader.joined(separator: ",") + "\r\n"))
        #expect(report.csv.contains("item,2026-11-18,Asia/Shanghai,,水费,qr,1,1234.50,0,0.00,1234.50,"))
        // And the ledger export has every canonical field, quoting the comma
        let ledger = LedgerExport.csv(records, timeZone: Self.shanghai)
        #expect(ledger.contains("hall-1,1,2026-11-18T01:00:00.000Z,payment,水费,qr,123450,CNY,\"ref,1\",张*,,\(LedgerChain.genesisHash),\(records[0].hash),\(records[0].signature),2026-11-18T09:00:00+08:00,1234.50\r\n"))
    }
}
