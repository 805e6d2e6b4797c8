import Foundation
import KioskControl
import KioskCore
import KioskSigning
import KioskStore
import Logging

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

    func settlement(day: CalendarDate?, export: Bool, print: Bool) async throws -> SettlementView {
        let schedule = settlement.schedule
        let now = time.wallNow
        let day = day ?? schedule.day(containing: now)
        var printed: PrintOutcome?
        if print {
            let closesAt = schedule.closing(of: day)
            guard closesAt <= now else {
                throw ControlSettlementError(.open, "the books of \(day) close at \(time.format.timestamp(closesAt)); print it after")
            }
            let settled = try await settlement.settle(day, by: "technician")
            if let first = settled.printed {
                printed = first
            } else if let again = await settlement.printSlip(settled.record) {
                printed = again
            } else {
                throw ControlSettlementError(.noPrinter, "no receipt printer is driven")
            }
        }
        let state = try await settlementState(day: day, at: now)
        guard export else { return SettlementView(state: state, printed: printed) }
        let path = try ExportFolder(stateDirectory: stateDirectory).save(state.report.csv, as: "settlement-\(day).csv")
        return SettlementView(state: state, exportPath: path, printed: printed)
    }

    /// `day` as stored once settled; otherwise its report computed now (so far, for the
    /// open day).
    private func settlementState(day: CalendarDate, at now: Date) async throws -> SettlementState {
        let schedule = settlement.schedule
        let closesAt = schedule.closing(of: day)
        if let stored = try await database.settlement(day: day) {
            return try stored.record.state(closesAt: closesAt, printJobState: stored.printJobState)
        }
        let period = schedule.period(of: day)
        let inputs = try await database.settlementInputs(recordedIn: period)
        let report = Settlement.report(
            day: day, period: period, timeZone: time.timeZone, records: inputs.records,
            unprintedReceipts: inputs.unprintedReceipts, paidAfterSessionEnded: inputs.paidAfterSession
        )
        return SettlementState(report: report, stage: closesAt <= now ? .unsettled : .open, closesAt: closesAt)
    }

    func reversePayment(terminal: String?, sequence: Int64, reason: String, actor: String) async throws -> LedgerReversal {
        let audited = LedgerReversal.auditedReason(reason)
        let outcome = try await database.recordReversal(
            terminal: terminal, sequence: sequence, chain: LedgerChain(signer: ledgerKey.signer), at: time.wallNow
        ) { [time] original, reversal in
            AuditRecord(
                at: time.wallNow, actor: actor, action: "ReversePayment", outcome: "ok",
                detail: "\(reversal.terminal) #\(reversal.sequence) reverses #\(original.sequence) \(original.itemID) "
                    + "\(original.channel) \(reversal.amountFen) fen; reason: \(audited)"
            )
        }
        if case .recorded(let original, let reversal) = outcome {
            logger.notice("payment reversed", metadata: [
                "terminal": "\(reversal.terminal)", "sequence": "\(reversal.sequence)", "reverses": "\(original.sequence)",
                "fen": "\(reversal.amountFen)", "by": "\(actor)",
            ])
        }
        return outcome
    }
}
