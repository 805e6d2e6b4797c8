import Foundation
import KioskCore

/// What the payment and ledger methods ask of the daemon (`Payments`, `LedgerVerify`,
/// `LedgerKey`, `LedgerExport`, `Settlement`). Days are the hall's calendar days; a nil
/// day means today in the hall's zone.
public protocol PaymentsControlBackend: Sendable {
    /// Paid orders, newest first, recorded in the ledger on `day` (every day when nil);
    /// only those whose receipt did not print with `unprintedOnly`.
    func payments(day: CalendarDate?, unprintedOnly: Bool) async throws -> [PaymentSummary]
    /// Every terminal's chain verified from sequence `from`, against the heads recorded
    /// with the last appends.
    func verifyLedger(from: Int64) async throws -> LedgerVerification
    /// The kiosk's ledger public key, standard base64.
    func ledgerPublicKey() -> String
    /// Writes the ledger export of `day` (CSV and public key, mode 0600); throws
    /// `ControlExportError` when the files cannot be written.
    func exportLedger(day: CalendarDate) async throws -> LedgerExportReply
    /// The settlement of `day` (today when nil), and the path of its CSV when `export`
    /// asked for one to be written.
    func settlement(day: CalendarDate?, export: Bool) async throws -> (report: SettlementReport, exportPath: String?)
}

/// An export could not be written; the message names the file and the system's reason.
public struct ControlExportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// One paid order as technicians see it (`Payment` in the interface file): the ledger's
/// place of the payment, amount, channel and receipt; no personal data, not even the
/// masked account.
public struct PaymentSummary: Sendable, Hashable, Codable {
    public var orderNumber: String?
    public var terminal: String
    public var sequence: Int64
    public var item: String
    public var channel: String
    public var amountFen: Int64
    /// The centre's payment time, in the hall's zone ("2026-11-23T14:05:09+08:00").
    public var paidAt: String
    public var afterSession: Bool
    public var receiptNumber: String?
    public var receiptPrinted: Bool

    public init(
        orderNumber: String?, terminal: String, sequence: Int64, item: String, channel: String, amountFen: Int64,
        paidAt: String, afterSession: Bool, receiptNumber: String?, receiptPrinted: Bool
    ) {
        self.orderNumber = orderNumber
        self.terminal = terminal
        self.sequence = sequence
        self.item = item
        self.channel = channel
        self.amountFen = amountFen
        self.paidAt = paidAt
        self.afterSession = afterSession
        self.receiptNumber = receiptNumber
        self.receiptPrinted = receiptPrinted
    }
}

/// The reply of `Payments`.
public struct PaymentsReply: Sendable, Hashable, Codable {
    public var date: String?
    public var payments: [PaymentSummary]
}

/// A terminal's chain head as the interface writes it (`LedgerHead`).
public struct LedgerHeadReply: Sendable, Hashable, Codable {
    public var terminal: String
    public var sequence: Int64
    public var hash: String

    public init(terminal: String, sequence: Int64, hash: String) {
        self.terminal = terminal
        self.sequence = sequence
        self.hash = hash
    }

    /// One entry per terminal, by terminal name.
    public static func list(_ heads: [String: LedgerHead]) -> [LedgerHeadReply] {
        heads.keys.sorted().map { LedgerHeadReply(terminal: $0, sequence: heads[$0]!.sequence, hash: heads[$0]!.hash) }
    }
}

/// A break as the interface writes it (`LedgerBreak`): the reason's code in snake_case
/// ("hash_mismatch") and its sentence.
public struct LedgerBreakReply: Sendable, Hashable, Codable {
    public var terminal: String
    public var sequence: Int64
    public var reason: String
    public var description: String

    public init(_ found: LedgerBreak) {
        terminal = found.terminal
        sequence = found.sequence
        reason = found.reason.code.replacingOccurrences(of: "-", with: "_")
        description = found.reason.description
    }
}

/// The reply of `LedgerVerify`.
public struct LedgerVerifyReply: Sendable, Hashable, Codable {
    public var ok: Bool
    public var verified: Int
    public var heads: [LedgerHeadReply]
    public var breaks: [LedgerBreakReply]

    public init(_ verification: LedgerVerification) {
        ok = verification.isIntact
        verified = verification.verifiedCount
        heads = LedgerHeadReply.list(verification.heads)
        breaks = verification.breaks.map(LedgerBreakReply.init)
    }
}

/// The reply of `LedgerKey`.
public struct LedgerKeyReply: Sendable, Hashable, Codable {
    public var publicKey: String
    public var algorithm = "ed25519"
}

/// The reply of `LedgerExport`: where the files are and the heads an auditor checks the
/// export against (`--head TERMINAL:SEQ:HASH`).
public struct LedgerExportReply: Sendable, Hashable, Codable {
    public var date: String
    public var csvPath: String
    public var keyPath: String
    public var records: Int
    public var heads: [LedgerHeadReply]

    public init(date: String, csvPath: String, keyPath: String, records: Int, heads: [LedgerHeadReply]) {
        self.date = date
        self.csvPath = csvPath
        self.keyPath = keyPath
        self.records = records
        self.heads = heads
    }
}

/// The reply of `Settlement`: a `SettlementReport` with amounts in fen and times in the
/// hall's zone.
public struct SettlementReply: Sendable, Hashable, Codable {
    public struct Line: Sendable, Hashable, Codable {
        public var item: String
        public var channel: String
        public var paymentCount: Int
        public var paymentFen: Int64
        public var reversalCount: Int
        public var reversalFen: Int64
        public var netFen: Int64
    }

    public struct Terminal: Sendable, Hashable, Codable {
        public var terminal: String
        public var recordCount: Int
        public var firstSequence: Int64
        public var lastSequence: Int64
        public var firstAt: String
        public var lastAt: String
        public var head: String
    }

    public struct Reversal: Sendable, Hashable, Codable {
        public var terminal: String
        public var sequence: Int64
        public var reverses: Int64
        public var item: String
        public var channel: String
        public var amountFen: Int64
        public var recordedAt: String
    }

    public var date: String
    public var timeZone: String
    public var lines: [Line]
    public var terminals: [Terminal]
    public var reversals: [Reversal]
    public var paymentCount: Int
    public var paymentFen: Int64
    public var reversalCount: Int
    public var reversalFen: Int64
    public var netFen: Int64
    public var unprintedReceipts: Int
    public var paidAfterSession: Int
    public var exportPath: String?

    public init(_ report: SettlementReport, exportPath: String? = nil) {
        let format = HallTimeFormat(timeZone: report.timeZone)
        date = report.day.description
        timeZone = report.timeZone.identifier
        lines = report.lines.map {
            Line(item: $0.itemID, channel: $0.channel, paymentCount: $0.paymentCount, paymentFen: $0.paymentFen,
                 reversalCount: $0.reversalCount, reversalFen: $0.reversalFen, netFen: $0.netFen)
        }
        terminals = report.terminals.map {
            Terminal(terminal: $0.terminal, recordCount: $0.recordCount, firstSequence: $0.firstSequence,
                     lastSequence: $0.lastSequence, firstAt: format.timestamp($0.firstRecordedAt),
                     lastAt: format.timestamp($0.lastRecordedAt), head: $0.head.hash)
        }
        reversals = report.reversals.map {
            Reversal(terminal: $0.terminal, sequence: $0.sequence, reverses: $0.reverses, item: $0.itemID,
                     channel: $0.channel, amountFen: $0.amountFen, recordedAt: format.timestamp($0.recordedAt))
        }
        paymentCount = report.paymentCount
        paymentFen = report.paymentFen
        reversalCount = report.reversalCount
        reversalFen = report.reversalFen
        netFen = report.netFen
        unprintedReceipts = report.unprintedReceipts
        paidAfterSession = report.paidAfterSessionEnded
        self.exportPath = exportPath
    }
}

extension ControlInterface {
    /// The reply of a payment or ledger method, or nil when `call` is none of them.
    func handlePayments(_ call: VarlinkCall, caller: PeerCredentials) async throws -> VarlinkReply? {
        switch call.memberName {
        case "Payments":
            try require(.read, caller)
            let day = try optionalDay(call)
            let unprinted = call.parameters?["unprinted"]?.boolValue ?? false
            let payments = try await backend.payments(day: day, unprintedOnly: unprinted)
            return try VarlinkReply(encoding: PaymentsReply(date: day?.description, payments: payments))
        case "LedgerVerify":
            try require(.read, caller)
            let from = call.parameters?["from"]?.integerValue ?? 1
            guard from >= 1 else { throw VarlinkError.invalidParameter("from") }
            return try VarlinkReply(encoding: LedgerVerifyReply(try await backend.verifyLedger(from: from)))
        case "LedgerKey":
            try require(.read, caller)
            return try VarlinkReply(encoding: LedgerKeyReply(publicKey: backend.ledgerPublicKey()))
        case "LedgerExport":
            try require(.change, caller)
            guard let day = try optionalDay(call) else { throw VarlinkError.invalidParameter("date") }
            do {
                return try VarlinkReply(encoding: try await backend.exportLedger(day: day))
            } catch let error as ControlExportError {
                throw exportFailed(error)
            }
        case "Settlement":
            let export = call.parameters?["export"]?.boolValue ?? false
            try require(export ? .change : .read, caller)
            let day = try optionalDay(call)
            do {
                let (report, path) = try await backend.settlement(day: day, export: export)
                return try VarlinkReply(encoding: SettlementReply(report, exportPath: path))
            } catch let error as ControlExportError {
                throw exportFailed(error)
            }
        default:
            return nil
        }
    }

    /// The call's `date` (YYYY-MM-DD); nil when absent; InvalidParameter when it is not a day.
    private func optionalDay(_ call: VarlinkCall) throws -> CalendarDate? {
        guard let value = call.parameters?["date"], value != .null else { return nil }
        guard let text = value.stringValue, let day = CalendarDate(parsing: text) else {
            throw VarlinkError.invalidParameter("date")
        }
        return day
    }

    private func exportFailed(_ error: ControlExportError) -> VarlinkError {
        VarlinkError(name: "\(Self.interfaceName).ExportFailed", parameters: .object(["message": .string(error.message)]))
    }
}
