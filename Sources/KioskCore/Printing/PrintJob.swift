import Foundation

/// Where a print job is in its life. Every job is recorded (`queued`) before it is sent,
/// so a crash between the two is recovered from the record, never guessed.
public enum PrintJobState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Recorded; not yet sent to CUPS (or a crash came between recording and sending).
    case queued
    /// CUPS accepted it under `cupsJobID`; not yet completed.
    case sent
    /// Held by kioskd because the printer is faulty; sent once it recovers.
    case waiting
    /// CUPS reported the job completed.
    case printed
    /// It did not print and will not be tried again by itself; a technician or the
    /// citizen can reprint it by its number.
    case failed
    /// A personal job whose session ended before it started printing (the printer was
    /// faulty): kept, never sent by itself, so it cannot drop into the tray for the next
    /// person. It prints when its citizen comes back and reprints it with proof, or a
    /// technician reprints it (`kioskctl reprint`); either sends this job itself.
    case held

    /// True for the states a job does not leave by itself.
    public var isFinal: Bool { self == .printed || self == .failed }
}

/// One print job as recorded in the store. Holds no personal data beyond the masked
/// document: the reference is a session or application number, the job name sent to
/// CUPS is built from `number` only.
public struct PrintJob: Sendable, Hashable, Codable {
    /// The number printed on the paper and quoted for reprints, e.g. "R-000123".
    public var number: String
    public var kind: PrintKind
    /// What it belongs to: an application number, a receipt number, a catalog item.
    public var reference: String
    public var role: PrintRole
    public var queue: String
    public var state: PrintJobState
    public var cupsJobID: Int?
    /// How many times it was sent to CUPS.
    public var attempts: Int
    /// The number of the job this one reprints.
    public var reprintOf: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// Why it is waiting or failed, as IPP keywords ("media-empty", "job-stalled").
    public var lastReason: String?
    /// What it prints, masked, without its number filled in.
    public var document: PrintDocument

    public init(
        number: String, kind: PrintKind, reference: String, role: PrintRole, queue: String, state: PrintJobState = .queued,
        cupsJobID: Int? = nil, attempts: Int = 0, reprintOf: String? = nil, createdAt: Date, updatedAt: Date,
        lastReason: String? = nil, document: PrintDocument
    ) {
        self.number = number
        self.kind = kind
        self.reference = reference
        self.role = role
        self.queue = queue
        self.state = state
        self.cupsJobID = cupsJobID
        self.attempts = attempts
        self.reprintOf = reprintOf
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastReason = lastReason
        self.document = document
    }

    /// The name the job carries in CUPS: no personal data, only what it is and its number.
    public var cupsJobName: String { "kioskd \(kind.rawValue) \(number)" }

    /// The document as it goes to paper, with its number and, for a reprint, the mark.
    public var finalDocument: PrintDocument { document.finalized(number: number, reprintOf: reprintOf) }
}

/// A print request before the store has given it a number.
public struct PrintRequest: Sendable, Hashable {
    public var kind: PrintKind
    public var reference: String
    public var document: PrintDocument

    public init(kind: PrintKind, reference: String, document: PrintDocument) {
        self.kind = kind
        self.reference = reference
        self.document = document
    }

    public var role: PrintRole { kind.role }
}

/// What happened to a print request, as the citizen is told.
public struct PrintOutcome: Sendable, Hashable, Codable {
    public enum Result: String, Sendable, Hashable, Codable {
        /// CUPS reported it completed: take the paper.
        case printed
        /// Sent and still printing; no fault is known.
        case printing
        /// The printer is faulty; the job waits and prints once it recovers.
        case waiting
        /// It could not be printed; it can be reprinted by its number.
        case failed
        /// No job has that number (reprint).
        case unknownNumber = "unknown-number"
        /// The job is another session's: the citizen must prove it is theirs (`reason`
        /// names the job's kind, which says what proof is asked for).
        case proofRequired = "proof-required"
        /// The proof typed does not match the job.
        case proofRejected = "proof-rejected"
    }

    public var result: Result
    /// The job's number, to reprint with; empty for `unknownNumber`.
    public var number: String
    /// Who must act on the fault, if there is one.
    public var responsible: PrinterCondition.Responsible
    /// The fault's main reason ("media-empty", "job-stalled"…), if there is one.
    public var reason: String?

    public init(result: Result, number: String, responsible: PrinterCondition.Responsible = .nobody, reason: String? = nil) {
        self.result = result
        self.number = number
        self.responsible = responsible
        self.reason = reason
    }
}
