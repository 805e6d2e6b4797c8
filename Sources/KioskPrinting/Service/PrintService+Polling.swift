import Foundation
import KioskCore
import Logging

/// Recovery after a restart, and the poll that follows jobs and printers.
extension PrintService {
    /// Loads the jobs a previous run left unfinished. `sent` ones are followed as they are;
    /// `queued` ones are looked up in CUPS by name before anything is sent: one found there
    /// is followed, one not found is sent, except a payment receipt, which fails with
    /// "not-sent-before-restart" (its citizen is gone; it waits for a reprint).
    func recover() async {
        guard !recovered else { return }
        do {
            for job in try await store.printJobs(states: [.failed], limit: 100_000) { failedCount[job.role, default: 0] += 1 }
            let jobs = try await store.printJobs(states: [.queued, .sent, .waiting], limit: 10_000)
            for job in jobs {
                active[job.number] = Tracked(job: job, progressAt: time.now, reconciled: job.state != .queued)
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

    func followSentJobs() async {
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
                    current.progressAt = time.now
                    current.stalled = false
                } else if current.progressAt.duration(to: time.now) >= configuration.noProgressTimeout, !current.stalled {
                    current.stalled = true
                    logger.warning("print job without progress", metadata: ["number": "\(number)", "cupsJob": "\(id)"])
                }
                active[number] = current
            case .pending, .held, .stopped:
                // Waiting in CUPS (a stopped queue keeps it): it prints when the queue runs.
                current.progressAt = time.now
                current.stalled = false
                active[number] = current
            }
        }
    }

    func sendWaiting(_ role: PrintRole) async {
        let ready = active.values.filter { $0.job.role == role && ($0.job.state == .waiting || $0.job.state == .queued) }
            .sorted { $0.job.number < $1.job.number }
        for tracked in ready {
            let number = tracked.job.number
            if !tracked.reconciled {
                guard await reconcile(number) else { continue }
                guard let current = active[number], current.job.state != .sent else { continue }
                if current.job.kind == .paymentReceipt {
                    // Recorded with its payment, never sent before the restart: the citizen
                    // it was for is gone, so it does not print for the next one. It stays
                    // a receipt that did not print (the order says so), listed for
                    // technicians and reprintable by its number.
                    logger.notice("payment receipt not sent before the restart; left for a reprint", metadata: ["number": "\(number)"])
                    await finish(number, state: .failed, reason: Self.notSentBeforeRestart)
                    continue
                }
            }
            await send(number)
        }
    }

    /// Why a payment receipt recorded before a restart and never sent did not print.
    static var notSentBeforeRestart: String { "not-sent-before-restart" }

    /// Looks a `queued` job from before a crash up in CUPS by its name; a match is adopted
    /// (the job was sent before the crash), otherwise it may be sent. False when CUPS
    /// could not be asked.
    func reconcile(_ number: String) async -> Bool {
        guard var tracked = active[number] else { return false }
        guard let jobs = try? await cups.jobs(queue: tracked.job.queue) else { return false }
        tracked.reconciled = true
        if let match = jobs.first(where: { $0.name == tracked.job.cupsJobName }) {
            tracked.job.state = .sent
            tracked.job.cupsJobID = match.id
            tracked.job.attempts = max(1, tracked.job.attempts)
            tracked.job.updatedAt = time.wallNow
            active[number] = tracked
            await save(tracked.job)
            logger.notice("print job found in CUPS after restart", metadata: ["number": "\(number)", "cupsJob": "\(match.id)"])
        } else {
            active[number] = tracked
        }
        return true
    }

    func applyResumePolicy(_ states: [PrintRole: CUPSPrinter]) async {
        for (role, printer) in states {
            guard printer.isStopped else {
                stoppedSince[role] = nil
                continue
            }
            let since = stoppedSince[role] ?? time.now
            stoppedSince[role] = since
            guard let after = configuration.resumeAfter, since.duration(to: time.now) >= after,
                  let queue = configuration.queues[role] else { continue }
            do {
                try await cups.resume(queue: queue)
                logger.notice("stopped printer queue resumed by policy", metadata: ["role": "\(role.rawValue)", "queue": "\(queue)"])
            } catch {
                logger.warning("cannot resume printer queue", metadata: ["role": "\(role.rawValue)", "error": "\(error)"])
            }
            stoppedSince[role] = time.now
        }
    }

    /// Afterwards the snapshot holds each role's condition, with "job-stalled" for a role
    /// whose job makes no progress, and its job counts.
    func publish(_ states: [PrintRole: CUPSPrinter]) {
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
                role: role, queue: queue, state: printer.printerState, condition: condition, pendingJobs: pending,
                failedJobs: failedCount[role] ?? 0
            )
        }
        let (changed, before) = printers.withLock { printers -> (Bool, [PrintRole: PrinterStatus]) in
            let before = printers
            printers.merge(snapshot) { $1 }
            return (printers.mapValues(\.condition.canPrint) != before.mapValues(\.condition.canPrint), before)
        }
        logFaultChanges(from: before, to: snapshot)
        if changed { onChange() }
    }

    /// One warning when a printer becomes faulty or its fault changes (who must act, or
    /// why), one notice when it prints again: the journal shows faults at `-p warning`
    /// without a line per poll. The first poll after start counts as a change.
    func logFaultChanges(from before: [PrintRole: PrinterStatus], to after: [PrintRole: PrinterStatus]) {
        for (role, status) in after.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let old = before[role]?.condition
            let new = status.condition
            let metadata: Logger.Metadata = [
                "role": .string(role.rawValue), "queue": .string(status.queue),
                "reasons": .string(new.reasons.joined(separator: ",")), "responsible": .string(new.responsible.rawValue),
            ]
            if new.severity == .fault, old?.severity != .fault || old?.reasons != new.reasons || old?.responsible != new.responsible {
                var fault = metadata
                fault[LogMessageKind.metadataKey] = .string(LogMessageKind.printerFault.rawValue)
                logger.warning("printer fault", metadata: fault)
            } else if new.severity != .fault, old?.severity == .fault {
                var recovered = metadata
                recovered[LogMessageKind.metadataKey] = .string(LogMessageKind.printerRecovered.rawValue)
                logger.notice("printer prints again", metadata: recovered)
            }
        }
    }
}
