import Foundation
import GRDB
import KioskCore

/// A row of `settlement`: one settled hall day. The report is stored whole (JSON) with its
/// hash and totals, so that what was printed, forwarded and shown is always the same; a
/// trigger keeps those columns as they were written. The print and forward columns follow
/// the slip and the centre. No personal data: the report holds no account.
public struct SettlementRecord: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "settlement"

    /// "2026-11-23".
    public var day: String
    public var periodStart: Date
    public var periodEnd: Date
    public var timeZone: String
    public var reportHash: String
    public var paymentCount: Int
    public var paymentFen: Int64
    public var reversalCount: Int
    public var reversalFen: Int64
    /// `SettlementReport` as JSON.
    public var report: Data
    public var settledAt: Date
    /// "schedule", "start" or "technician".
    public var settledBy: String
    /// The slip's print job, and what printing it answered.
    public var printNumber: String?
    public var printResult: String?
    /// `SettlementState.Forwarding`'s raw value.
    public var forwardState: String
    public var forwardAttempts: Int
    public var nextForwardAt: Date?
    public var forwardError: String?
    public var forwardedAt: Date?
    /// `SettlementAnswer.Result`'s raw value, once answered.
    public var centreResult: String?
    /// `SettlementAnswer` as JSON, once answered.
    public var centreAnswer: Data?

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    /// A settled day, to be forwarded now.
    init(report: SettlementReport, reportHash: String, settledBy: String, at now: Date) throws {
        day = report.day.description
        periodStart = report.periodStart
        periodEnd = report.periodEnd
        timeZone = report.timeZone.identifier
        self.reportHash = reportHash
        paymentCount = report.paymentCount
        paymentFen = report.paymentFen
        reversalCount = report.reversalCount
        reversalFen = report.reversalFen
        self.report = try Self.encoder.encode(report)
        settledAt = now
        self.settledBy = settledBy
        forwardState = SettlementState.Forwarding.pending.rawValue
        forwardAttempts = 0
        nextForwardAt = now
    }

    /// The stored report.
    public func settlementReport() throws -> SettlementReport {
        try JSONDecoder().decode(SettlementReport.self, from: report)
    }

    /// The centre's answer, once there is one.
    public func answer() throws -> SettlementAnswer? {
        try centreAnswer.map { try JSONDecoder().decode(SettlementAnswer.self, from: $0) }
    }

    /// The day as technicians see it; `printJobState` is the slip's job state when the
    /// job is recorded here (it supersedes what printing first answered).
    public func state(closesAt: Date, printJobState: String? = nil) throws -> SettlementState {
        SettlementState(
            report: try settlementReport(), stage: .settled, closesAt: closesAt, settledAt: settledAt, settledBy: settledBy,
            reportHash: reportHash, printNumber: printNumber, printState: printJobState ?? printResult,
            forwarding: SettlementState.Forwarding(rawValue: forwardState), forwardAttempts: forwardAttempts,
            nextForwardAt: forwardState == SettlementState.Forwarding.pending.rawValue ? nextForwardAt : nil,
            forwardError: forwardError, answer: try answer()
        )
    }
}
