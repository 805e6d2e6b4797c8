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
/// before anything is sent, so nothing prints twice.
public actor PrintService<ServiceClock: Clock>: Service, SlipPrinter where ServiceClock.Duration == Duration {
    private let configuration: PrintServiceConfiguration
    private let cups: CUPSClient
    private let store: any PrintJobStore
    private let templates: PrintTemplates
    private let receipt: ReceiptEncoder
    private let document: DocumentRenderer?
    private let clock: ServiceClock
    private let logger: Logger

    /// The printers as last polled: read by every terminal tick and Status, so a lock,
    /// not an actor hop.
    private let printers: Mutex<[PrintRole: PrinterStatus]>

    /// A job not finished yet, and what the poll knows about its progress.
    private struct Tracked {
        var job: PrintJob
        var progress: [Int] = []
        var progressAt: ServiceClock.Instant
        var stalled = false
        /// False for a `queued` job found at start: it may be in CUPS already and is looked
        /// up by name before it may be sent.
        var reconciled = true
    }

    private var active: [String: Tracked] = [:]
    private var sending: Set<String> = []
    private var stoppedSince: [PrintRole: ServiceClock.Instant] = [:]
    /// Jobs that failed, by role: they stay listed until a technician reprints them.
    private var failedCount: [PrintRole: Int] = [:]
    private var recovered = false

    /// The most jobs one resend may take: a job CUPS aborted is sent at most twice.
    static var maximumAttempts: Int { 2 }

    public init(
        configuration: PrintServiceConfiguration, cups: CUPSClient, store: any PrintJobStore, templates: PrintTemplates,
        document: DocumentRenderer?, clock: ServiceClock, logger: Logger
    ) {
        self.configuration = configuration
        self.cups = cups
        self.store = store
        self.templates = templates
        receipt = ReceiptEncoder(columns: configuration.receiptColumns)
        self.document = document
        self.clock = clock
        self.logger = logger
        var initial: [PrintRole: PrinterStatus] = [:]
        for (role, queue) in configuration.queues {
            initial[role] = PrinterStatus(
                role: role, queue: queue, state: "unknown",
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
                try await self.clock.sleep(for: self.configuration.pollInterval)
            }
        }
    }

    // MARK: SlipPrinter

    public func print(_ printable: Printable) async -> PrintOutcome {
        let request = templates.request(for: printable, at: Date())
        return await submit(request, reprintOf: nil)
    }

    public func reprint(number: String) async -> PrintOutcome {
        guard let original = try? await store.printJob(number: number) else {
            return PrintOutcome(result: .unknownNumber, number: "")
        }
        let request = PrintRequest(kind: original.kind, reference: original.reference, document: original.document)
        return await submit(request, reprintOf: original.reprintOf ?? original.number)
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

    // MARK: Sending

    private func submit(_ request: PrintRequest, reprintOf: String?) async -> PrintOutcome {
        guard let queue = configuration.queues[request.role] else {
            return PrintOutcome(result: .failed, number: "", responsible: .engineer, reason: "no-printer")
        }
        let job: PrintJob
        do {
            job = try await store.recordPrintJob(request, queue: queue, reprintOf: reprintOf, at: Date())
        } catch {
            logger.error("cannot record a print job", metadata: ["error": "\(error)"])
            return PrintOutcome(result: .failed, number: "", responsible: .engineer, reason: "store")
        }
        logger.info("print job recorded", metadata: ["number": "\(job.number)", "kind": "\(job.kind.rawValue)", "role": "\(job.role.rawValue)"])
        active[job.number] = Tracked(job: job, progressAt: clock.now)
        if canPrint(job.role) {
            await send(job.number)
        } else {
            await hold(job.number, reason: mainReason(of: job.role))
        }
        return await outcome(of: job.number)
    }

    /// Sends a tracked job to CUPS. Afterwards it is `sent` with its CUPS id (stored), or
    /// `waiting` when CUPS could not take it, or `failed` when it cannot be rendered.
    private func send(_ number: String) async {
        guard var tracked = active[number], !sending.contains(number) else { return }
        sending.insert(number)
        defer { sending.remove(number) }
        let job = tracked.job
        let bytes: [UInt8]
        let format: String
        switch job.role {
        case .receipt:
            bytes = receipt.encode(job.finalDocument)
            format = "application/vnd.cups-raw"
        case .document:
            guard let document else {
                await finish(number, state: .failed, reason: "font-missing")
                return
            }
            bytes = document.render(job.finalDocument)
            format = "application/pdf"
        }
        do {
            let id = try await cups.submit(queue: job.queue, name: job.cupsJobName, format: format, data: bytes)
            tracked = active[number] ?? tracked
            tracked.job.state = .sent
            tracked.job.cupsJobID = id
            tracked.job.attempts += 1
            tracked.job.lastReason = nil
            tracked.job.updatedAt = Date()
            tracked.progressAt = clock.now
            tracked.progress = []
            tracked.stalled = false
            active[number] = tracked
            await save(tracked.job)
            logger.info("print job sent", metadata: ["number": "\(number)", "cupsJob": "\(id)", "attempt": "\(tracked.job.attempts)"])
        } catch {
            logger.warning("print job not accepted by CUPS", metadata: ["number": "\(number)", "error": "\(error)"])
            await hold(number, reason: error.isUnreachable ? "cups-unreachable" : "cups-refused")
        }
    }

    /// Afterwards the job is `waiting` for its printer, stored with `reason`.
    private func hold(_ number: String, reason: String) async {
        guard var tracked = active[number] else { return }
        tracked.job.state = .waiting
        tracked.job.lastReason = reason
        tracked.job.updatedAt = Date()
        active[number] = tracked
        await save(tracked.job)
    }

    /// Afterwards the job is `printed` or `failed`, stored, and no longer tracked.
    private func finish(_ number: String, state: PrintJobState, reason: String?) async {
        guard var tracked = active.removeValue(forKey: number) else { return }
        tracked.job.state = state
        tracked.job.lastReason = reason
        tracked.job.updatedAt = Date()
        finished[number] = tracked.job
        await save(tracked.job)
        if state == .printed {
            logger.info("print job printed", metadata: ["number": "\(number)"])
            if configuration.purgeFinished, let id = tracked.job.cupsJobID {
                // Best effort: a job CUPS already forgot has nothing left to purge.
                try? await cups.cancel(id: id, purge: true)
            }
        } else {
            failedCount[tracked.job.role, default: 0] += 1
            logger.warning("print job failed", metadata: ["number": "\(number)", "reason": "\(reason ?? "")"])
        }
    }

    /// Jobs finished while a print call may still be waiting for them.
    private var finished: [String: PrintJob] = [:]

    private func save(_ job: PrintJob) async {
        do {
            try await store.updatePrintJob(job)
        } catch {
            logger.error("cannot store a print job's state", metadata: ["number": "\(job.number)", "error": "\(error)"])
        }
    }

    /// What to tell the citizen about job `number`: waits up to the configured time for
    /// it to print or for a fault.
    private func outcome(of number: String) async -> PrintOutcome {
        let deadline = clock.now.advanced(by: configuration.outcomeWait)
        while true {
            if let job = finished[number] {
                finished[number] = nil
                if job.state == .printed { return PrintOutcome(result: .printed, number: number) }
                return PrintOutcome(result: .failed, number: number, responsible: .engineer, reason: job.lastReason)
            }
            guard let tracked = active[number] else { return PrintOutcome(result: .printing, number: number) }
            let condition = printers.withLock { $0[tracked.job.role]?.condition }
            if tracked.job.state == .waiting || tracked.stalled || condition?.severity == .fault {
                let responsible = condition.map { $0.responsible == .nobody ? .engineer : $0.responsible } ?? .engineer
                let reason = tracked.stalled ? "job-stalled" : (tracked.job.lastReason ?? mainReason(of: tracked.job.role))
                return PrintOutcome(result: .waiting, number: number, responsible: responsible, reason: reason)
            }
            guard clock.now < deadline else { return PrintOutcome(result: .printing, number: number) }
            try? await clock.sleep(for: min(configuration.pollInterval, .milliseconds(200)))
        }
    }

    /// The reason that best says why `role` cannot print: a cause before "queue-stopped".
    private func mainReason(of role: PrintRole) -> String {
        let reasons = printers.withLock { $0[role]?.condition.reasons } ?? []
        let causes = reasons.filter { !["paused", "queue-stopped", "not-accepting-jobs"].contains($0) }
        return causes.first ?? reasons.first ?? "unknown"
    }

    // MARK: Recovery and polling

    /// Loads the jobs a previous run left unfinished. `sent` ones are followed as they are;
    /// `queued` ones are looked up in CUPS by name before anything is sent.
    func recover() async {
        guard !recovered else { return }
        do {
            for job in try await store.printJobs(states: [.failed], limit: 100_000) { failedCount[job.role, default: 0] += 1 }
            let jobs = try await store.printJobs(states: [.queued, .sent, .waiting], limit: 10_000)
            for job in jobs {
                active[job.number] = Tracked(job: job, progressAt: clock.now, reconciled: job.state != .queued)
            }
            recovered = true
            if !jobs.isEmpty { logger.notice("print jobs recovered", metadata: ["count": "\(jobs.count)"]) }
        } catch {
            logger.error("cannot load unfinished print jobs", metadata: ["error": "\(error)"])
        }
    }

    /// One round: printers, sent jobs, resume policy, waiting jobs. Afterwards the printer
    /// snapshot is current.
    func poll() async {
        if !recovered { await recover() }
        var states: [PrintRole: CUPSPrinter] = [:]
        for (role, queue) in configuration.queues {
            states[role] = await cups.printer(queue: queue)
        }
        await followSentJobs()
        publish(states)
        await applyResumePolicy(states)
        for (role, _) in configuration.queues where canPrint(role) {
            await sendWaiting(role)
        }
        publish(states)
    }

    private func followSentJobs() async {
        for number in active.keys.sorted() {
            guard let tracked = active[number], tracked.job.state == .sent, let id = tracked.job.cupsJobID,
                  !sending.contains(number) else { continue }
            let cupsJob: CUPSJob
            do {
                cupsJob = try await cups.job(id: id)
            } catch {
                if error.isNotFound {
                    // CUPS forgot it (history purged while kioskd was down, or its state was
                    // lost): it may have printed, so it is not sent again by itself.
                    await finish(number, state: .failed, reason: "job-lost")
                }
                continue
            }
            guard var current = active[number] else { continue }
            switch cupsJob.state {
            case .completed:
                await finish(number, state: .printed, reason: nil)
            case .canceled, .aborted:
                if current.job.attempts < Self.maximumAttempts {
                    await hold(number, reason: "job-\(cupsJob.state == .aborted ? "aborted" : "canceled")")
                } else {
                    await finish(number, state: .failed, reason: "job-\(cupsJob.state == .aborted ? "aborted" : "canceled")")
                }
            case .processing:
                let progress = cupsJob.progress + [cupsJob.reasons.count]
                if progress != current.progress {
                    current.progress = progress
                    current.progressAt = clock.now
                    current.stalled = false
                } else if current.progressAt.duration(to: clock.now) >= configuration.noProgressTimeout, !current.stalled {
                    current.stalled = true
                    logger.warning("print job without progress", metadata: ["number": "\(number)", "cupsJob": "\(id)"])
                }
                active[number] = current
            case .pending, .held, .stopped:
                // Waiting in CUPS (a stopped queue keeps it): it prints when the queue runs.
                current.progressAt = clock.now
                current.stalled = false
                active[number] = current
            }
        }
    }

    private func sendWaiting(_ role: PrintRole) async {
        let ready = active.values.filter { $0.job.role == role && ($0.job.state == .waiting || $0.job.state == .queued) }
            .sorted { $0.job.number < $1.job.number }
        for tracked in ready {
            let number = tracked.job.number
            if !tracked.reconciled {
                guard await reconcile(number) else { continue }
                if active[number]?.job.state == .sent { continue }
            }
            await send(number)
        }
    }

    /// Looks a `queued` job from before a crash up in CUPS by its name; a match is adopted
    /// (the job was sent before the crash), otherwise it may be sent. False when CUPS
    /// could not be asked.
    private func reconcile(_ number: String) async -> Bool {
        guard var tracked = active[number] else { return false }
        guard let jobs = try? await cups.jobs(queue: tracked.job.queue) else { return false }
        tracked.reconciled = true
        if let match = jobs.first(where: { $0.name == tracked.job.cupsJobName }) {
            tracked.job.state = .sent
            tracked.job.cupsJobID = match.id
            tracked.job.attempts = max(1, tracked.job.attempts)
            tracked.job.updatedAt = Date()
            active[number] = tracked
            await save(tracked.job)
            logger.notice("print job found in CUPS after restart", metadata: ["number": "\(number)", "cupsJob": "\(match.id)"])
        } else {
            active[number] = tracked
        }
        return true
    }

    private func applyResumePolicy(_ states: [PrintRole: CUPSPrinter]) async {
        for (role, printer) in states {
            guard printer.isStopped else {
                stoppedSince[role] = nil
                continue
            }
            let since = stoppedSince[role] ?? clock.now
            stoppedSince[role] = since
            guard let after = configuration.resumeAfter, since.duration(to: clock.now) >= after,
                  let queue = configuration.queues[role] else { continue }
            do {
                try await cups.resume(queue: queue)
                logger.notice("stopped printer queue resumed by policy", metadata: ["role": "\(role.rawValue)", "queue": "\(queue)"])
            } catch {
                logger.warning("cannot resume printer queue", metadata: ["role": "\(role.rawValue)", "error": "\(error)"])
            }
            stoppedSince[role] = clock.now
        }
    }

    /// Afterwards the snapshot holds each role's condition, with "job-stalled" for a role
    /// whose job makes no progress, and its job counts.
    private func publish(_ states: [PrintRole: CUPSPrinter]) {
        var snapshot: [PrintRole: PrinterStatus] = [:]
        for (role, queue) in configuration.queues {
            let printer = states[role] ?? .unreachable
            var condition = printer.condition
            if active.values.contains(where: { $0.job.role == role && $0.stalled }) {
                condition.reasons.append("job-stalled")
                condition.severity = .fault
                condition.responsible = .engineer
            }
            let pending = active.values.filter { $0.job.role == role }.count
            snapshot[role] = PrinterStatus(
                role: role, queue: queue, state: printer.stateName, condition: condition, pendingJobs: pending,
                failedJobs: failedCount[role] ?? 0
            )
        }
        printers.withLock { $0.merge(snapshot) { $1 } }
    }
}
