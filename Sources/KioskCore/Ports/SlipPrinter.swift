import Foundation

/// How a terminal session prints: the printing service, in the daemon. Each call records
/// the job before it is sent and answers with what the citizen is to be told.
public protocol SlipPrinter: Sendable {
    /// Renders `printable`, records the job and sends it; returns once CUPS reported it
    /// printed, a fault is known, or the configured wait is over (then `printing`).
    func print(_ printable: Printable) async -> PrintOutcome
    /// Prints the job numbered `number` again, marked "重印", as a new recorded job; a
    /// `held` job is sent itself instead (it never printed). A personal job (`PrintKind
    /// .isPersonal`) is reprinted only with `proof` that holds for it: otherwise the
    /// outcome is `proofRequired` (no proof) or `proofRejected`.
    func reprint(number: String, proof: ReprintProof) async -> PrintOutcome
    /// Holds those of the jobs numbered `numbers` that are personal and have not started
    /// printing (`queued` or `waiting`): their session ended. Afterwards they are `held`.
    func holdUnstarted(numbers: [String]) async
    /// Renders `printable` for a job that someone else records in its own transaction
    /// (a payment's receipt, with its ledger record); nil when its role has no printer.
    /// Cheap and synchronous: it is called inside that transaction.
    func prepare(_ printable: Printable) -> PreparedPrint?
    /// Sends the job numbered `number`, recorded (`queued`) from a `prepare`d request in
    /// someone else's transaction, exactly as `print` sends the job it records; returns
    /// the same outcome. A job already sent or finished is not sent again: its outcome
    /// is returned. `unknownNumber` when no such job is recorded.
    func printRecorded(number: String) async -> PrintOutcome
    /// True when `role`'s printer is expected to print now (read on every tick: cheap).
    func canPrint(_ role: PrintRole) -> Bool
}

/// Why a reprint may be made: the job is this session's own, a technician asks, or the
/// citizen typed what proves the job is theirs (the last 6 characters of the applicant's
/// ID for an acceptance slip, the account number for a payment receipt).
public enum ReprintProof: Sendable, Hashable {
    case ownSession
    case technician
    case typed(String)
    case none
}

/// Checks typed proof against a recorded job; true when it proves the job is the typist's.
public protocol ReprintProofChecker: Sendable {
    func holds(_ proof: String, for job: PrintJob) async -> Bool
}

/// A print request rendered by the print service and the queue it is to go to: what a
/// print job row is written from, before the job has a number.
public struct PreparedPrint: Sendable, Hashable {
    public var request: PrintRequest
    public var queue: String

    public init(request: PrintRequest, queue: String) {
        self.request = request
        self.queue = queue
    }
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
