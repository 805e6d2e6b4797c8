import Foundation
import KioskCore

/// What the payment and ledger methods ask of the daemon (`Payments`, `LedgerVerify`,
/// `LedgerKey`, `LedgerExport`, `Settlement`, `ReversePayment`). Days are the hall's
/// calendar days (a settlement's day covers its period, see `SettlementSchedule`); a nil
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
    /// The settlement of `day` (the day still open when nil): the stored one once the day
    /// is settled, else the report so far; the path of its CSV when `export` asked for
    /// one to be written; with `print`, the slip printed again (a closed day not settled
    /// yet is settled first). Throws `ControlSettlementError` when a day cannot be printed.
    func settlement(day: CalendarDate?, export: Bool, print: Bool) async throws -> SettlementView
    /// Appends a reversal of the payment `sequence` of `terminal` (of the one terminal
    /// with that sequence when nil), audited with `actor` and the masked `reason`.
    func reversePayment(terminal: String?, sequence: Int64, reason: String, actor: String) async throws -> LedgerReversal
}

/// A settlement as the `Settlement` method answers it.
public struct SettlementView: Sendable, Hashable {
    public var state: SettlementState
    public var exportPath: String?
    /// What printing the slip answered, when `print` asked for it.
    public var printed: PrintOutcome?

    public init(state: SettlementState, exportPath: String? = nil, printed: PrintOutcome? = nil) {
        self.state = state
        self.exportPath = exportPath
        self.printed = printed
    }
}

/// Why a settlement slip cannot be printed.
public struct ControlSettlementError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        /// The day's books are still open.
        case open
        /// The daemon drives no receipt printer.
        case noPrinter
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
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
/// hall's zone, and where the day's settlement stands (stored, printed, forwarded, the
/// centre's answer).
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

    /// The slip's print job (`SettlementPrint`).
    public struct Print: Sendable, Hashable, Codable {
        public var number: String
        public var state: String
    }

    /// How the settlement travels to the centre (`SettlementForward`).
    public struct Forward: Sendable, Hashable, Codable {
        public var state: String
        public var attempts: Int
        public var nextAttemptAt: String?
        public var lastError: String?
    }

    /// One item the centre counts differently (`SettlementDifference`).
    public struct Difference: Sendable, Hashable, Codable {
        public var item: String
        public var kioskCount: Int
        public var kioskFen: Int64
        public var centreCount: Int
        public var centreFen: Int64
    }

    /// One order the two sides disagree on (`SettlementOrderDifference`).
    public struct OrderDifference: Sendable, Hashable, Codable {
        public var orderId: String
        public var orderNumber: String?
        public var item: String
        public var amountFen: Int64
        public var side: String
    }

    /// The centre's answer (`SettlementCentre`).
    public struct Centre: Sendable, Hashable, Codable {
        public var result: String
        public var receivedAt: String
        public var differences: [Difference]
        public var orders: [OrderDifference]
    }

    public var date: String
    public var timeZone: String
    /// open, unsettled or settled.
    public var state: String
    public var periodStart: String
    public var periodEnd: String
    public var closesAt: String
    public var settledAt: String?
    public var settledBy: String?
    public var reportHash: String?
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
    public var print: Print?
    public var forward: Forward?
    public var centre: Centre?
    /// "mismatch" or "refused" when the day needs a technician.
    public var fault: String?
    public var exportPath: String?
    /// What printing answered when the call asked for the slip.
    public var printed: PrintOutcomeReply?

    public init(_ view: SettlementView) {
        let state = view.state
        let report = state.report
        let format = HallTimeFormat(timeZone: report.timeZone)
        date = report.day.description
        timeZone = report.timeZone.identifier
        self.state = state.stage.rawValue
        periodStart = format.timestamp(report.periodStart)
        periodEnd = format.timestamp(report.periodEnd)
        closesAt = format.timestamp(state.closesAt)
        settledAt = state.settledAt.map(format.timestamp)
        settledBy = state.settledBy
        reportHash = state.reportHash
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
        print = state.printNumber.map { Print(number: $0, state: state.printState ?? "unknown") }
        forward = state.forwarding.map {
            Forward(state: $0.rawValue, attempts: state.forwardAttempts, nextAttemptAt: state.nextForwardAt.map(format.timestamp),
                    lastError: state.forwardError)
        }
        centre = state.answer.map { answer in
            Centre(
                result: answer.result.rawValue, receivedAt: format.timestamp(answer.receivedAt),
                differences: answer.differences.map {
                    Difference(item: $0.itemID, kioskCount: $0.kioskCount, kioskFen: $0.kioskFen, centreCount: $0.centreCount,
                               centreFen: $0.centreFen)
                },
                orders: answer.orders.map {
                    OrderDifference(orderId: $0.orderReference, orderNumber: $0.orderNumber, item: $0.itemID,
                                    amountFen: $0.amountFen, side: $0.side.wireName)
                }
            )
        }
        fault = state.fault?.rawValue
        exportPath = view.exportPath
        printed = view.printed.map(PrintOutcomeReply.init)
    }
}

/// The reply of `ReversePayment`: the reversal record and the payment it reverses.
public struct ReversalReply: Sendable, Hashable, Codable {
    public var terminal: String
    public var sequence: Int64
    public var reverses: Int64
    public var item: String
    public var channel: String
    public var amountFen: Int64
    public var hash: String

    public init(reversal: LedgerRecord) {
        terminal = reversal.terminal
        sequence = reversal.sequence
        reverses = reversal.reversalOf ?? 0
        item = reversal.itemID
        channel = reversal.channel
        amountFen = reversal.amountFen
        hash = reversal.hash
    }
}

extension ControlInterface {
    static let paymentHandlers: [(String, ControlHandler)] = [
        ControlHandler.of(ControlMethods.Payments.self) { interface, parameters, _ in
            let day = try optionalDay(parameters.date)
            let payments = try await interface.backend.payments(day: day, unprintedOnly: parameters.unprinted ?? false)
            return PaymentsReply(date: day?.description, payments: payments)
        },
        ControlHandler.of(ControlMethods.LedgerVerify.self) { interface, parameters, _ in
            let from = parameters.from ?? 1
            guard from >= 1 else { throw VarlinkError.invalidParameter("from") }
            return LedgerVerifyReply(try await interface.backend.verifyLedger(from: from))
        },
        ControlHandler.of(ControlMethods.LedgerKey.self) { interface, _, _ in
            LedgerKeyReply(publicKey: interface.backend.ledgerPublicKey())
        },
        ControlHandler.of(ControlMethods.LedgerExport.self) { interface, parameters, _ in
            guard let day = try optionalDay(parameters.date) else { throw VarlinkError.invalidParameter("date") }
            do {
                return try await interface.backend.exportLedger(day: day)
            } catch let error as ControlExportError {
                throw exportFailed(error)
            }
        },
        ControlHandler.of(ControlMethods.Settlement.self) { interface, parameters, caller in
            let export = parameters.export ?? false
            let print = parameters.print ?? false
            if export || print { try interface.require(.change, caller) }
            let day = try optionalDay(parameters.date)
            do {
                return SettlementReply(try await interface.backend.settlement(day: day, export: export, print: print))
            } catch let error as ControlExportError {
                throw exportFailed(error)
            } catch let error as ControlSettlementError {
                switch error.kind {
                case .open:
                    throw VarlinkError(name: "\(interfaceName).SettlementOpen", parameters: .object(["message": .string(error.message)]))
                case .noPrinter:
                    throw VarlinkError(name: "\(interfaceName).NoSuchPrinter")
                }
            }
        },
        ControlHandler.of(ControlMethods.ReversePayment.self) { interface, parameters, caller in
            let sequence = parameters.sequence
            guard sequence >= 1 else { throw VarlinkError.invalidParameter("sequence") }
            let terminal = parameters.terminal
            if terminal?.isEmpty == true { throw VarlinkError.invalidParameter("terminal") }
            guard LedgerReversal.reasonProblem(parameters.reason) == nil else { throw VarlinkError.invalidParameter("reason") }
            let outcome = try await interface.backend.reversePayment(
                terminal: terminal, sequence: sequence, reason: parameters.reason, actor: caller.description
            )
            switch outcome {
            case .recorded(_, let reversal):
                return ReversalReply(reversal: reversal)
            case .noSuchRecord:
                var details: [String: JSONValue] = ["sequence": .integer(sequence)]
                if let terminal { details["terminal"] = .string(terminal) }
                throw VarlinkError(name: "\(interfaceName).NoSuchRecord", parameters: .object(details))
            case .notAPayment(let record):
                throw VarlinkError(name: "\(interfaceName).NotAPayment", parameters: .object([
                    "terminal": .string(record.terminal), "sequence": .integer(record.sequence),
                ]))
            case .alreadyReversed(let original, let earlier):
                throw VarlinkError(name: "\(interfaceName).AlreadyReversed", parameters: .object([
                    "terminal": .string(original.terminal), "sequence": .integer(original.sequence),
                    "reversal_sequence": .integer(earlier.sequence),
                ]))
            case .ambiguous(let terminals):
                throw VarlinkError(name: "\(interfaceName).AmbiguousSequence", parameters: .object([
                    "terminals": .array(terminals.map { .string($0) }),
                ]))
            }
        },
    ]

    /// A `date` parameter (YYYY-MM-DD); nil when absent; InvalidParameter when it is not a day.
    private static func optionalDay(_ text: String?) throws -> CalendarDate? {
        guard let text else { return nil }
        guard let day = CalendarDate(parsing: text) else { throw VarlinkError.invalidParameter("date") }
        return day
    }

    private static func exportFailed(_ error: ControlExportError) -> VarlinkError {
        VarlinkError(name: "\(interfaceName).ExportFailed", parameters: .object(["message": .string(error.message)]))
    }
}
