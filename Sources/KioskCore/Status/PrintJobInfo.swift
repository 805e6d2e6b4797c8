import Foundation

/// A print job as technicians see it (`kioskctl jobs`): everything but the document.
public struct PrintJobInfo: Sendable, Hashable, Codable {
    public var number: String
    public var kind: PrintKind
    public var reference: String
    public var role: PrintRole
    public var queue: String
    public var state: PrintJobState
    public var cupsJobID: Int?
    public var attempts: Int
    public var reprintOf: String?
    /// ISO 8601 in the hall's zone, e.g. 2026-11-23T14:05:09+08:00, like every time a
    /// technician reads.
    public var createdAt: String
    public var updatedAt: String
    public var lastReason: String?

    public init(_ job: PrintJob, format: HallTimeFormat) {
        number = job.number
        kind = job.kind
        reference = job.reference
        role = job.role
        queue = job.queue
        state = job.state
        cupsJobID = job.cupsJobID
        attempts = job.attempts
        reprintOf = job.reprintOf
        createdAt = format.timestamp(job.createdAt)
        updatedAt = format.timestamp(job.updatedAt)
        lastReason = job.lastReason
    }
}
