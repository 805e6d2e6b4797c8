import Foundation
import GRDB
import KioskCore

/// A row of `printJob`: one print job, recorded before it is sent. Holds the masked
/// document and references only (application or receipt numbers), never raw personal data.
public struct PrintJobRecord: Codable, Sendable, Hashable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "printJob"
    public var id: Int64?
    public var number: String
    public var kind: String
    public var reference: String
    public var role: String
    public var queue: String
    public var state: String
    public var cupsJobID: Int?
    public var attempts: Int
    public var reprintOf: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var lastReason: String?
    /// The `PrintDocument` as JSON.
    public var document: Data

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    init(_ job: PrintJob) throws {
        number = job.number
        kind = job.kind.rawValue
        reference = job.reference
        role = job.role.rawValue
        queue = job.queue
        state = job.state.rawValue
        cupsJobID = job.cupsJobID
        attempts = job.attempts
        reprintOf = job.reprintOf
        createdAt = job.createdAt
        updatedAt = job.updatedAt
        lastReason = job.lastReason
        document = try JSONEncoder().encode(job.document)
    }

    /// The job this row records; nil for a row this version cannot read.
    var job: PrintJob? {
        guard let kind = PrintKind(rawValue: kind), let role = PrintRole(rawValue: role),
              let state = PrintJobState(rawValue: state),
              let document = try? JSONDecoder().decode(PrintDocument.self, from: document) else { return nil }
        return PrintJob(
            number: number, kind: kind, reference: reference, role: role, queue: queue, state: state, cupsJobID: cupsJobID,
            attempts: attempts, reprintOf: reprintOf, createdAt: createdAt, updatedAt: updatedAt, lastReason: lastReason,
            document: document
        )
    }
}

extension KioskDatabase: PrintJobStore {
    /// Afterwards the job is on disk in state `queued` with the next number ("R-000001"
    /// for the first job ever), so a crash from here on cannot lose it.
    public func recordPrintJob(_ request: PrintRequest, queue: String, reprintOf: String?, at date: Date) async throws -> PrintJob {
        try await writeAsync { db in
            try Self.recordPrintJob(db, request, queue: queue, reprintOf: reprintOf, at: date)
        }
    }

    /// Writes a new `queued` job with the next number in `db`'s transaction (the payment's,
    /// for its receipt).
    static func recordPrintJob(_ db: Database, _ request: PrintRequest, queue: String, reprintOf: String?, at date: Date) throws
        -> PrintJob
    {
        let next = (try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM printJob") ?? 0) + 1
        let job = PrintJob(
            number: PrintNumber.make(next), kind: request.kind, reference: request.reference, role: request.role,
            queue: queue, reprintOf: reprintOf, createdAt: date, updatedAt: date, document: request.document
        )
        var record = try PrintJobRecord(job)
        record.id = next
        try record.insert(db)
        return job
    }

    /// Afterwards the stored job has `job`'s state, CUPS id, attempts, reason and time.
    public func updatePrintJob(_ job: PrintJob) async throws {
        _ = try await writeAsync { db in
            try PrintJobRecord.filter(Column("number") == job.number).updateAll(
                db,
                Column("state").set(to: job.state.rawValue), Column("cupsJobID").set(to: job.cupsJobID),
                Column("attempts").set(to: job.attempts), Column("lastReason").set(to: job.lastReason),
                Column("updatedAt").set(to: job.updatedAt)
            )
        }
    }

    public func printJob(number: String) async throws -> PrintJob? {
        try await readAsync { db in try PrintJobRecord.filter(Column("number") == number).fetchOne(db)?.job }
    }

    public func printJobs(states: Set<PrintJobState>, limit: Int) async throws -> [PrintJob] {
        try await readAsync { db in
            if states.isEmpty {
                return try PrintJobRecord.order(Column("id").desc).limit(limit).fetchAll(db).compactMap(\.job)
            }
            return try PrintJobRecord.filter(states.map(\.rawValue).contains(Column("state")))
                .order(Column("id")).limit(limit).fetchAll(db).compactMap(\.job)
        }
    }
}
