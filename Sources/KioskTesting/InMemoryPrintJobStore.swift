import Foundation
import KioskCore

/// The print job store's in-memory twin, for tests of the print service.
public actor InMemoryPrintJobStore: PrintJobStore {
    public private(set) var jobs: [PrintJob] = []

    public init() {}

    public func recordPrintJob(_ request: PrintRequest, queue: String, reprintOf: String?, at date: Date) async throws -> PrintJob {
        let job = PrintJob(
            number: PrintNumber.make(Int64(jobs.count + 1)), kind: request.kind, reference: request.reference, role: request.role,
            queue: queue, reprintOf: reprintOf, createdAt: date, updatedAt: date, document: request.document
        )
        jobs.append(job)
        return job
    }

    public func updatePrintJob(_ job: PrintJob) async throws {
        if let index = jobs.firstIndex(where: { $0.number == job.number }) { jobs[index] = job }
    }

    public func printJob(number: String) async throws -> PrintJob? {
        jobs.first { $0.number == number }
    }

    public func printJobs(states: Set<PrintJobState>, limit: Int) async throws -> [PrintJob] {
        Array(jobs.filter { states.isEmpty || states.contains($0.state) }.prefix(limit))
    }

    /// Adds a job as a previous run left it (for recovery tests).
    public func insert(_ job: PrintJob) {
        jobs.append(job)
    }
}
