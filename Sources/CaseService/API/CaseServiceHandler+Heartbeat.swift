import CaseServiceAPI
import Foundation

extension CaseServiceHandler {
    /// Keeps the heartbeat as the kiosk's latest: the schema's limits first (400), then the
    /// path must be the token's kiosk (404) and the body's `kioskId` the path's (422).
    func putHeartbeat(_ input: Operations.PutHeartbeat.Input) async throws -> Operations.PutHeartbeat.Output {
        guard case .json(let heartbeat) = input.body else { return .badRequest(heartbeatProblem(400, "Unsupported body")) }
        try ContractLimits.check {
            $0.kioskID(input.path.kioskId, "kioskId")
            heartbeat.limits(into: &$0)
        }
        let kiosk = KioskIdentity.current ?? ""
        guard input.path.kioskId == kiosk else { return .notFound(heartbeatProblem(404, "No such kiosk for this token")) }
        guard heartbeat.kioskId == input.path.kioskId else {
            return .unprocessableContent(heartbeatProblem(422, "kioskId must equal the path's kioskId"))
        }
        let receivedAt = try await store.recordHeartbeat(heartbeat, kiosk: kiosk, now: Date())
        return .ok(.init(body: .json(.init(kioskId: kiosk, receivedAt: receivedAt))))
    }

    private func heartbeatProblem(_ status: Int, _ title: String) -> Components.Responses.Problem {
        .init(body: .applicationProblemJson(ContractProblem.status(status, title: title).contract))
    }
}

extension Components.Schemas.Heartbeat {
    func limits(into limits: inout ContractLimits) {
        limits.kioskID(kioskId, "kioskId")
        limits.length(hall, "hall", max: 80)
        limits.length(version, "version", min: 1, max: 32)
        limits.range(uptimeSeconds, "uptimeSeconds", min: 0)
        limits.range(intervalSeconds, "intervalSeconds", min: 1, max: 86_400)
        limits.count(terminals, "terminals", max: 256)
        for (index, terminal) in terminals.enumerated() {
            limits.length(terminal.name, "terminals[\(index)].name", min: 1, max: 64)
            limits.range(terminal.errors, "terminals[\(index)].errors", min: 0)
        }
        limits.count(printers, "printers", max: 8)
        for (index, printer) in printers.enumerated() {
            let name = "printers[\(index)]"
            limits.length(printer.queue, name + ".queue", min: 1, max: 127)
            limits.count(printer.reasons, name + ".reasons", max: 16)
            for (reasonIndex, reason) in printer.reasons.enumerated() {
                limits.length(reason, name + ".reasons[\(reasonIndex)]", max: 64)
            }
            limits.range(printer.pendingJobs, name + ".pendingJobs", min: 0, max: Int(Int32.max))
            limits.range(printer.failedJobs, name + ".failedJobs", min: 0, max: Int(Int32.max))
        }
        limits.range(outbox.pending, "outbox.pending", min: 0, max: Int(Int32.max))
        limits.range(outbox.dead, "outbox.dead", min: 0, max: Int(Int32.max))
        limits.range(outbox.oldestPendingSeconds, "outbox.oldestPendingSeconds", min: 0)
        if let payments {
            if let day = payments.lastSettledDay { limits.day(day, "payments.lastSettledDay") }
            limits.range(payments.unprintedReceipts, "payments.unprintedReceipts", min: 0, max: Int(Int32.max))
            limits.count(payments.settlementFaults, "payments.settlementFaults", max: 31)
            for (index, fault) in payments.settlementFaults.enumerated() {
                limits.day(fault.day, "payments.settlementFaults[\(index)].day")
            }
        }
        limits.count(ledgerHeads, "ledgerHeads", max: 256)
        for (index, head) in ledgerHeads.enumerated() {
            limits.length(head.terminal, "ledgerHeads[\(index)].terminal", min: 1, max: 64)
            limits.range(head.sequence, "ledgerHeads[\(index)].sequence", min: 0)
            limits.lowercaseHex64(head.hash, "ledgerHeads[\(index)].hash")
        }
        limits.length(catalog.version, "catalog.version", min: 1, max: 80)
        limits.length(catalog.refusedVersion, "catalog.refusedVersion", max: 80)
        limits.length(catalog.refusedReason, "catalog.refusedReason", max: 300)
    }
}
