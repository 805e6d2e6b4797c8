import Foundation
import KioskCore

/// Recording, sending and finishing jobs, and what the citizen is told.
extension PrintService {
    func submit(_ request: PrintRequest, reprintOf: String?) async -> PrintOutcome {
        guard let queue = configuration.queues[request.role] else {
            return PrintOutcome(result: .failed, number: "", responsible: .engineer, reason: "no-printer")
        }
        let job: PrintJob
        do {
            job = try await store.recordPrintJob(request, queue: queue, reprintOf: reprintOf, at: time.wallNow)
        } catch {
            logger.error("cannot record a print job", metadata: ["error": "\(error)"])
            return PrintOutcome(result: .failed, number: "", responsible: .engineer, reason: "store")
        }
        logger.info("print job recorded", metadata: ["number": "\(job.number)", "kind": "\(job.kind.rawValue)", "role": "\(job.role.rawValue)"])
        return await start(job)
    }

    /// Tracks the recorded, never sent `job` as this run's own, sends it (or holds it for
    /// its printer), and answers what the citizen is to be told.
    func start(_ job: PrintJob) async -> PrintOutcome {
        active[job.number] = Tracked(job: job, progressAt: time.now)
        // Awaited from here: a poll may finish the job while it is still being sent.
        awaited.insert(job.number)
        if canPrint(job.role) {
            await send(job.number)
        } else {
            await hold(job.number, reason: mainReason(of: job.role))
        }
        return await outcome(of: job.number)
    }

    /// Sends a tracked job to CUPS. Afterwards it is `sent` with its CUPS id (stored), or
    /// `waiting` when CUPS could not take it, or `failed` when it cannot be rendered.
    func send(_ number: String) async {
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
            tracked.job.updatedAt = time.wallNow
            tracked.progressAt = time.now
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
    func hold(_ number: String, reason: String) async {
        guard var tracked = active[number] else { return }
        tracked.job.state = .waiting
        tracked.job.lastReason = reason
        tracked.job.updatedAt = time.wallNow
        active[number] = tracked
        await save(tracked.job)
    }

    /// Afterwards the job is `printed` or `failed`, stored, and no longer tracked.
    func finish(_ number: String, state: PrintJobState, reason: String?) async {
        guard var tracked = active.removeValue(forKey: number) else { return }
        tracked.job.state = state
        tracked.job.lastReason = reason
        tracked.job.updatedAt = time.wallNow
        if awaited.contains(number) { finished[number] = tracked.job }
        await save(tracked.job)
        if state == .printed {
            logger.info("print job printed", metadata: ["number": "\(number)"])
            if configuration.purgeFinished, let id = tracked.job.cupsJobID {
                // Best effort: a job CUPS already forgot has nothing left to purge.
                try? await cups.cancel(id: id, purge: true)
            }
        } else {
            failedCount[tracked.job.role, default: 0] += 1
            logger.warning("print job failed", metadata: ["number": "\(number)", "reason": "\(reason ?? "")", "event": .string(LogMessageKind.printJobFailed.rawValue)])
        }
    }

    func save(_ job: PrintJob) async {
        do {
            try await store.updatePrintJob(job)
        } catch {
            logger.error("cannot store a print job's state", metadata: ["number": "\(job.number)", "error": "\(error)"])
        }
    }

    /// What to tell the citizen about job `number`: waits up to the configured time for
    /// it to print or for a fault.
    func outcome(of number: String) async -> PrintOutcome {
        let deadline = time.now.advanced(by: configuration.outcomeWait)
        awaited.insert(number)
        defer {
            awaited.remove(number)
            finished[number] = nil
        }
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
            guard time.now < deadline else { return PrintOutcome(result: .printing, number: number) }
            try? await time.sleep(for: min(configuration.pollInterval, .milliseconds(200)))
        }
    }

    /// The reason that best says why `role` cannot print: a cause before "queue-stopped".
    func mainReason(of role: PrintRole) -> String {
        let reasons = printers.withLock { $0[role]?.condition.reasons } ?? []
        let causes = reasons.filter { !["paused", "queue-stopped", "not-accepting-jobs"].contains($0) }
        return causes.first ?? reasons.first ?? "unknown"
    }
}
