import Foundation
import KioskControl
import KioskCore
import KioskSigning
import KioskStore

/// The payment and ledger methods: read from the daemon's database, days in the hall's
/// zone, verified and exported with the kiosk's public key.
extension DaemonBackend {
    func payments(day: CalendarDate?, unprintedOnly: Bool) async throws -> [PaymentSummary] {
        let interval = day.map { Settlement.interval(of: $0, in: time.timeZone) }
        let orders = try await database.paidOrders(recordedIn: interval, unprinted: unprintedOnly)
        let format = time.format
        return orders.map { order in
            PaymentSummary(
                orderNumber: order.number, terminal: order.terminal, sequence: order.ledgerSequence ?? 0,
                item: "bill-" + order.billKind, channel: order.channel ?? "", amountFen: order.amountFen,
                paidAt: format.timestamp(order.paidAt ?? order.createdAt),
                afterSession: order.afterSession, receiptNumber: order.receiptNumber, receiptPrinted: order.receiptPrinted
            )
        }
    }

    func verifyLedger(from: Int64) async throws -> LedgerVerification {
        // From a later sequence, the record before it of each terminal anchors the link.
        let (records, heads) = try await database.ledgerForVerification(from: from)
        let verifier = LedgerVerifier(crypto: SwiftCryptoHashing(), publicKey: ledgerKey.publicKey)
        // The signatures, nearly all of a verify's time, on every core.
        return await verifier.verify(records, from: from, expectedHeads: heads, workers: ProcessInfo.processInfo.activeProcessorCount)
    }

    func ledgerPublicKey() -> String {
        ledgerKey.publicKeyBase64
    }

    func exportLedger(day: CalendarDate) async throws -> LedgerExportReply {
        let records = try await database.ledgerRecords(recordedIn: Settlement.interval(of: day, in: time.timeZone))
        var heads: [String: LedgerHead] = [:]
        for record in records where record.sequence >= heads[record.terminal]?.sequence ?? 0 {
            heads[record.terminal] = record.head
        }
        let folder = ExportFolder(stateDirectory: stateDirectory)
        let csvPath = try folder.save(LedgerExport.csv(records, timeZone: time.timeZone), as: "ledger-\(day).csv")
        let keyPath = try folder.save(ledgerKey.publicKeyBase64 + "\n", as: "ledger-\(day).key")
        return LedgerExportReply(
            date: day.description, csvPath: csvPath, keyPath: keyPath, records: records.count, heads: LedgerHeadReply.list(heads)
        )
    }

    func settlement(day: CalendarDate?, export: Bool) async throws -> (report: SettlementReport, exportPath: String?) {
        let day = day ?? time.today
        let interval = Settlement.interval(of: day, in: time.timeZone)
        let inputs = try await database.settlementInputs(recordedIn: interval)
        let report = Settlement.report(
            day: day, timeZone: time.timeZone, records: inputs.records, unprintedReceipts: inputs.unprintedReceipts,
            paidAfterSessionEnded: inputs.paidAfterSession
        )
        guard export else { return (report, nil) }
        let path = try ExportFolder(stateDirectory: stateDirectory).save(report.csv, as: "settlement-\(day).csv")
        return (report, path)
    }
}
