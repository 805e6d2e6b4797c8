import KioskCore

/// How the print service runs: which CUPS queue each role prints on, and its timings.
public struct PrintServiceConfiguration: Sendable {
    /// The CUPS queue of each role; a role without a queue is not driven.
    public var queues: [PrintRole: String]
    /// Characters per line of the receipt paper.
    public var receiptColumns: Int
    /// How often job and printer states are asked.
    public var pollInterval: Duration
    /// A job `processing` this long without progress is a fault ("job-stalled").
    public var noProgressTimeout: Duration
    /// A stopped queue is resumed after this long (and again after each such interval
    /// while it stays stopped); nil: only a technician resumes it.
    public var resumeAfter: Duration?
    /// How long a print call waits for "completed" or a fault before it answers
    /// "printing".
    public var outcomeWait: Duration
    /// Purge finished jobs from CUPS (job files and history) once they are printed.
    public var purgeFinished: Bool

    public init(
        queues: [PrintRole: String], receiptColumns: Int = 48, pollInterval: Duration = .seconds(1),
        noProgressTimeout: Duration = .seconds(30), resumeAfter: Duration? = .seconds(60), outcomeWait: Duration = .seconds(5),
        purgeFinished: Bool = true
    ) {
        self.queues = queues
        self.receiptColumns = receiptColumns
        self.pollInterval = pollInterval
        self.noProgressTimeout = noProgressTimeout
        self.resumeAfter = resumeAfter
        self.outcomeWait = outcomeWait
        self.purgeFinished = purgeFinished
    }
}
