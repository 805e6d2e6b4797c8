import Foundation
import KioskCore
import Logging
import ServiceLifecycle
import Synchronization

/// Prints, watches and recovers every print job of the daemon.
///
/// Every job is written to the store (`queued`) before it is sent, and its CUPS job id
/// right after; a poll asks CUPS for each sent job's state and each queue's state. A job
/// is printed only when CUPS says `completed`. Faults (a stopped queue, printer reasons,
/// a job processing without progress) make the role's condition a fault, which gates the
/// services that need it. Jobs that could not be sent wait and are sent when the printer
/// recovers; a job CUPS aborted or canceled is sent once more. A job CUPS may still hold
/// is never sent again: after a crash, `queued` jobs are looked up in CUPS by their name
/// before anything is sent, so nothing prints twice. A payment receipt recorded with its
/// payment (`prepare`, then `printRecorded`) and not found in CUPS after a crash is not
/// sent at all: it fails as "not-sent-before-restart", for a reprint, rather than print
/// for whoever stands at the terminal now.
public actor PrintService: Service, SlipPrinter {
    let configuration: PrintServiceConfiguration
    let cups: CUPSClient
    let store: any PrintJobStore
    let templates: PrintTemplates
    let receipt: ReceiptEncoder
    let document: DocumentRenderer?
    let time: TimeEnvironment
    let logger: Logger
    /// Checks the proof a citizen types to reprint another session's personal job; with
    /// none, typed proof never holds.
    let proofChecker: (any ReprintProofChecker)?
    /// Called after a role's "can print" changed (sessions redraw what it gates).
    let onChange: @Sendable () -> Void

    /// The printers as last polled: read by every terminal tick and Status, so a lock,
    /// not an actor hop.
    let printers: Mutex<[PrintRole: PrinterStatus]>

    /// A job not finished yet, and what the poll knows about its progress.
    struct Tracked {
        var job: PrintJob
        var progress: [Int] = []
        var progressAt: MonotonicInstant
        var stalled = false
        /// False for a `queued` job found at start: it may be in CUPS already and is looked
        /// up by name before it may be sent.
        var reconciled = true
    }

    var active: [String: Tracked] = [:]
    var sending: Set<String> = []
    var stoppedSince: [PrintRole: MonotonicInstant] = [:]
    /// Jobs that failed, by role: they stay listed until a technician reprints them.
    var failedCount: [PrintRole: Int] = [:]
    var recovered = false
    /// Jobs a print call is waiting for, and those of them that finished: kept only
    /// while someone waits, so the map never grows with the daemon's age.
    var awaited: Set<String> = []
    var finished: [String: PrintJob] = [:]

    /// How often a job is sent at most: a job CUPS aborted or canceled is sent once more.
    static var maximumAttempts: Int { 2 }

    public init(
        configuration: PrintServiceConfiguration, cups: CUPSClient, store: any PrintJobStore, templates: PrintTemplates,
        document: DocumentRenderer?, time: TimeEnvironment, logger: Logger,
        proofChecker: (any ReprintProofChecker)? = nil, onChange: @escaping @Sendable () -> Void = {}
    ) {
        self.proofChecker = proofChecker
        self.configuration = configuration
        self.cups = cups
        self.store = store
        self.templates = templates
        receipt = ReceiptEncoder(columns: configuration.receiptColumns)
        self.document = document
        self.time = time
        self.logger = logger
        self.onChange = onChange
        var initial: [PrintRole: PrinterStatus] = [:]
        for (role, queue) in configuration.queues {
            initial[role] = PrinterStatus(
                role: role, queue: queue, state: .unknown,
                condition: PrinterCondition(severity: .warning, responsible: .nobody, reasons: ["not-checked-yet"])
            )
        }
        printers = Mutex(initial)
    }

    // MARK: Service

    public func run() async throws {
        await recover()
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.poll()
                try await self.time.sleep(for: self.configuration.pollInterval)
            }
        }
    }

    // MARK: SlipPrinter

    public func print(_ printable: Printable) async -> PrintOutcome {
        let request = templates.request(for: printable, at: time.wallNow)
        return await submit(request, reprintOf: nil)
    }

    public func reprint(number: String, proof: ReprintProof) async -> PrintOutcome {
        guard let original = try? await store.printJob(number: number) else {
            return PrintOutcome(result: .unknownNumber, number: "")
        }
        if original.kind.isPersonal {
            switch proof {
            case .ownSession, .technician:
                break
            case .none:
                return PrintOutcome(result: .proofRequired, number: number, reason: original.kind.rawValue)
            case .typed(let typed):
                guard await proofChecker?.holds(typed, for: original) == true else {
                    logger.notice("reprint refused: the proof does not match", metadata: ["number": "\(number)"])
                    return PrintOutcome(result: .proofRejected, number: number)
                }
            }
        }
        if original.state == .held { return await release(original) }
        let request = PrintRequest(kind: original.kind, reference: original.reference, document: original.document)
        return await submit(request, reprintOf: original.reprintOf ?? original.number)
    }

    public nonisolated func prepare(_ printable: Printable) -> PreparedPrint? {
        let request = templates.request(for: printable, at: time.wallNow)
        guard let queue = configuration.queues[request.role] else { return nil }
        return PreparedPrint(request: request, queue: queue)
    }

    public func printRecorded(number: String) async -> PrintOutcome {
        // Recovery first: a job it loads later would be taken for one a previous run left.
        if !recovered { await recover() }
        // Already tracked: sent by an earlier call, or loaded by recovery because it was
        // committed before this service first loaded its jobs (only at start). Either way
        // it is followed as it is, never sent from here.
        if active[number] != nil { return await outcome(of: number) }
        guard let job = try? await store.printJob(number: number) else {
            return PrintOutcome(result: .unknownNumber, number: "")
        }
        // Tracked meanwhile by another call for the same number: that one sends it.
        if active[number] != nil { return await outcome(of: number) }
        switch job.state {
        case .printed: return PrintOutcome(result: .printed, number: number)
        case .failed: return PrintOutcome(result: .failed, number: number, responsible: .engineer, reason: job.lastReason)
        case .held: return PrintOutcome(result: .waiting, number: number, responsible: .hallStaff, reason: "held")
        case .sent, .waiting: return PrintOutcome(result: .printing, number: number)
        case .queued: break
        }
        guard configuration.queues[job.role] != nil else {
            return PrintOutcome(result: .failed, number: number, responsible: .engineer, reason: "no-printer")
        }
        logger.info("recorded print job to send", metadata: ["number": "\(job.number)", "kind": "\(job.kind.rawValue)"])
        return await start(job)
    }

    public func holdUnstarted(numbers: [String]) async {
        for number in numbers {
            // A job being handed to CUPS right now has started: it is followed as usual.
            guard let tracked = active[number], tracked.job.kind.isPersonal, tracked.reconciled, !sending.contains(number),
                  tracked.job.state == .queued || tracked.job.state == .waiting
            else { continue }
            active[number] = nil
            var job = tracked.job
            job.state = .held
            job.updatedAt = time.wallNow
            await save(job)
            logger.notice("print job held: its session ended before it printed", metadata: ["number": "\(number)"])
        }
    }

    /// Sends a `held` job itself (it never printed, so it is not marked as a reprint):
    /// its citizen proved it theirs, or a technician released it.
    private func release(_ held: PrintJob) async -> PrintOutcome {
        if active[held.number] != nil { return await outcome(of: held.number) }
        var job = held
        job.state = .queued
        job.updatedAt = time.wallNow
        await save(job)
        logger.notice("held print job released", metadata: ["number": "\(job.number)"])
        return await start(job)
    }

    public nonisolated func canPrint(_ role: PrintRole) -> Bool {
        printers.withLock { $0[role]?.condition.canPrint ?? false }
    }

    // MARK: Technicians

    /// Each driven role's printer as last polled, in role order.
    public nonisolated var printerStatuses: [PrinterStatus] {
        let all = printers.withLock { $0 }
        return PrintRole.allCases.compactMap { all[$0] }
    }

    /// Resumes `role`'s queue now (technician's `kioskctl resume`), then polls, so the
    /// answer shows the queue as CUPS has it afterwards.
    public func resume(_ role: PrintRole) async throws -> PrinterStatus? {
        guard let queue = configuration.queues[role] else { return nil }
        try await cups.resume(queue: queue)
        logger.notice("printer queue resumed", metadata: ["role": "\(role.rawValue)", "queue": "\(queue)"])
        stoppedSince[role] = nil
        await poll()
        return printers.withLock { $0[role] }
    }
}
