import CaseServiceAPI
import Foundation
import KioskCore

extension CentralServiceClient {
    /// What one heartbeat came to.
    public enum HeartbeatResult: Sendable, Hashable {
        /// The centre keeps it as the kiosk's latest, received then.
        case accepted(receivedAt: Date)
        /// Not taken, in words without personal data ("503 unavailable", "unreachable");
        /// the next interval sends a fresh one.
        case failed(reason: String)
    }

    /// Sends `heartbeat` as `PUT /v1/kiosks/{kioskId}/heartbeat`.
    public func sendHeartbeat(_ heartbeat: Heartbeat) async -> HeartbeatResult {
        do {
            switch try await client.putHeartbeat(path: .init(kioskId: heartbeat.kioskID), body: .json(Self.contract(heartbeat))) {
            case .ok(let ok):
                return .accepted(receivedAt: try ok.body.json.receivedAt)
            case .badRequest(let problem):
                return .failed(reason: "400 " + Self.heartbeatTitle(problem))
            case .unauthorized:
                return .failed(reason: "401 token refused")
            case .notFound(let problem):
                return .failed(reason: "404 " + Self.heartbeatTitle(problem))
            case .contentTooLarge:
                return .failed(reason: "413 too large")
            case .unsupportedMediaType:
                return .failed(reason: "415 unsupported media type")
            case .unprocessableContent(let problem):
                return .failed(reason: "422 " + Self.heartbeatTitle(problem))
            case .tooManyRequests:
                return .failed(reason: "429 too many requests")
            case .internalServerError:
                return .failed(reason: "500 server error")
            case .serviceUnavailable:
                return .failed(reason: "503 unavailable")
            case .undocumented(let status, _):
                return .failed(reason: "\(status)")
            }
        } catch {
            return .failed(reason: "unreachable")
        }
    }

    /// The centre's problem title, stripped of control characters and cut short: it goes
    /// to the log and to Status.
    private static func heartbeatTitle(_ problem: Components.Responses.Problem) -> String {
        let title = (try? problem.body.applicationProblemJson.title) ?? "refused"
        return String(UntrustedText(title).sanitized.prefix(120))
    }

    /// The contract's form of `heartbeat`.
    static func contract(_ heartbeat: Heartbeat) -> Components.Schemas.Heartbeat {
        Components.Schemas.Heartbeat(
            kioskId: heartbeat.kioskID, hall: heartbeat.hall, version: heartbeat.version, sentAt: heartbeat.sentAt,
            uptimeSeconds: heartbeat.uptimeSeconds, intervalSeconds: heartbeat.intervalSeconds,
            terminals: heartbeat.terminals.map { terminal in
                .init(
                    name: terminal.name, profile: same(terminal.profile, or: .citizen), state: same(terminal.state, or: .opening),
                    locked: terminal.locked, errors: terminal.errors
                )
            },
            printers: heartbeat.printers.map { printer in
                .init(
                    role: same(printer.role, or: .receipt), queue: printer.queue, state: same(printer.state, or: .unknown),
                    severity: same(printer.severity, or: .fault), responsible: same(printer.responsible, or: .engineer),
                    reasons: printer.reasons, pendingJobs: printer.pendingJobs, failedJobs: printer.failedJobs
                )
            },
            outbox: .init(
                pending: heartbeat.outbox.pending, dead: heartbeat.outbox.dead,
                oldestPendingSeconds: heartbeat.outbox.oldestPendingSeconds
            ),
            storage: same(heartbeat.storage, or: .full),
            payments: heartbeat.payments.map { payments in
                .init(
                    lastSettledDay: payments.lastSettledDay, unprintedReceipts: payments.unprintedReceipts,
                    settlementFaults: payments.settlementFaults.map { .init(day: $0.day, fault: same($0.fault, or: .refused)) }
                )
            },
            ledgerHeads: heartbeat.ledgerHeads.map { .init(terminal: $0.terminal, sequence: $0.head.sequence, hash: $0.head.hash) },
            catalog: .init(
                source: same(heartbeat.catalog.source, or: .local), version: heartbeat.catalog.version,
                refusedVersion: heartbeat.catalog.refusedVersion, refusedReason: heartbeat.catalog.refusedReason
            )
        )
    }

    /// The contract's enum case with `value`'s raw value. KioskCore's enums and the
    /// contract's have the same raw values (a test checks every case); `fallback`, the
    /// most cautious reading, only stands in should they ever drift apart.
    static func same<Value: RawRepresentable<String>, Contract: RawRepresentable<String>>(
        _ value: Value, or fallback: Contract
    ) -> Contract {
        Contract(rawValue: value.rawValue) ?? fallback
    }
}
