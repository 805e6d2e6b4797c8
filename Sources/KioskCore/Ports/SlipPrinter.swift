import Foundation

/// How a terminal session prints: the printing service, in the daemon. Each call records
/// the job before it is sent and answers with what the citizen is to be told.
public protocol SlipPrinter: Sendable {
    /// Renders `printable`, records the job and sends it; returns once CUPS reported it
    /// printed, a fault is known, or the configured wait is over (then `printing`).
    func print(_ printable: Printable) async -> PrintOutcome
    /// Prints the job numbered `number` again, marked "重印", as a new recorded job.
    func reprint(number: String) async -> PrintOutcome
    /// True when `role`'s printer is expected to print now (read on every tick: cheap).
    func canPrint(_ role: PrintRole) -> Bool
}

/// Where print jobs are recorded (the store, in the daemon). Each write is durable when
/// it returns.
public protocol PrintJobStore: Sendable {
    /// Records a new job in state `queued` with the next number; returns it.
    func recordPrintJob(_ request: PrintRequest, queue: String, reprintOf: String?, at date: Date) async throws -> PrintJob
    /// Saves the job's state, CUPS id, attempts and reason as they are in `job`.
    func updatePrintJob(_ job: PrintJob) async throws
    /// The job numbered `number`, if any.
    func printJob(number: String) async throws -> PrintJob?
    /// Jobs in any of `states`, oldest first; all jobs when `states` is empty, newest
    /// `limit` of them.
    func printJobs(states: Set<PrintJobState>, limit: Int) async throws -> [PrintJob]
}
