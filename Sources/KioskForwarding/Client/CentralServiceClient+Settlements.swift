import CaseServiceAPI
import Foundation
import KioskCore
import OpenAPIRuntime

extension CentralServiceClient {
    /// What one try to forward a settlement ended with.
    public enum SettlementDelivery: Sendable, Hashable {
        /// The centre compared it (now, or on an earlier try) and answered.
        case answered(SettlementAnswer)
        /// Try again later (no answer, 5xx, 429, a token refused).
        case retry(reason: String, retryAfter: Duration?, outage: Bool)
        /// Refused for good: the centre holds a different settlement of the day (409), or
        /// cannot read this one (422).
        case refused(reason: String)
    }

    /// Forwards `report` (whose hash is `reportHash`) as the kiosk's settlement of its
    /// day: `POST /v1/settlements`, idempotent per kiosk and day, so a repeat after a lost
    /// answer gets the first answer. Only the report's ledger facts and counts travel; no
    /// account, not even masked.
    public func settle(_ report: SettlementReport, reportHash: String, now: Date) async -> SettlementDelivery {
        let body = Self.submission(report, reportHash: reportHash)
        do {
            switch try await client.submitSettlement(body: .json(body)) {
            case .created(let created): return .answered(Self.answer(try created.body.json))
            case .ok(let repeated): return .answered(Self.answer(try repeated.body.json))
            case .unauthorized: return .retry(reason: "401 token refused", retryAfter: nil, outage: false)
            case .conflict(let problem): return .refused(reason: "409 " + Self.settlementProblemTitle(problem))
            case .unprocessableContent(let problem): return .refused(reason: "422 " + Self.settlementProblemTitle(problem))
            case .serviceUnavailable(let unavailable):
                return .retry(reason: "503 unavailable", retryAfter: RetryAfter.parse(unavailable.headers.retryAfter, now: now), outage: true)
            // Documented since the contract says what every status means; refused as before.
            case .badRequest: return .refused(reason: "400 refused")
            case .contentTooLarge: return .refused(reason: "413 refused")
            case .unsupportedMediaType: return .refused(reason: "415 refused")
            case .undocumented(let status, _):
                switch Self.undocumentedDelivery(status) {
                case .retry(let reason, let retryAfter, let outage): return .retry(reason: reason, retryAfter: retryAfter, outage: outage)
                case .refused(let reason): return .refused(reason: reason)
                case .delivered: return .retry(reason: "\(status)", retryAfter: nil, outage: false)
                }
            }
        } catch {
            return .retry(reason: "unreachable", retryAfter: nil, outage: true)
        }
    }

    /// The contract's body for `report`.
    static func submission(_ report: SettlementReport, reportHash: String) -> Components.Schemas.SettlementSubmission {
        Components.Schemas.SettlementSubmission(
            day: report.day.description, timeZone: report.timeZone.identifier, periodStart: report.periodStart,
            periodEnd: report.periodEnd, reportHash: reportHash, paymentCount: report.paymentCount, paymentFen: report.paymentFen,
            reversalCount: report.reversalCount, reversalFen: report.reversalFen, unprintedReceipts: report.unprintedReceipts,
            paidAfterSession: report.paidAfterSessionEnded,
            lines: report.lines.map {
                .init(itemId: $0.itemID, channel: $0.channel, paymentCount: $0.paymentCount, paymentFen: $0.paymentFen,
                      reversalCount: $0.reversalCount, reversalFen: $0.reversalFen)
            },
            terminals: report.terminals.map {
                .init(terminal: $0.terminal, recordCount: $0.recordCount, firstSequence: $0.firstSequence,
                      lastSequence: $0.lastSequence, head: $0.head.hash)
            },
            reversals: report.reversals.map {
                .init(terminal: $0.terminal, sequence: $0.sequence, reverses: $0.reverses, itemId: $0.itemID, channel: $0.channel,
                      amountFen: $0.amountFen)
            },
            payments: report.payments.map {
                .init(orderId: $0.orderReference, terminal: $0.terminal, sequence: $0.sequence, itemId: $0.itemID,
                      channel: $0.channel, amountFen: $0.amountFen)
            }
        )
    }

    static func answer(_ answer: Components.Schemas.SettlementAnswer) -> SettlementAnswer {
        SettlementAnswer(
            result: answer.result == .matched ? .matched : .mismatch, receivedAt: answer.receivedAt,
            differences: answer.differences.map {
                .init(itemID: $0.itemId, kioskCount: $0.kioskCount, kioskFen: $0.kioskFen, centreCount: $0.centreCount,
                      centreFen: $0.centreFen)
            },
            orders: answer.orders.map {
                .init(orderReference: $0.orderId, orderNumber: $0.orderNumber, itemID: $0.itemId, amountFen: $0.amountFen,
                      side: SettlementAnswer.OrderDifference.Side(rawValue: $0.side.rawValue) ?? .kioskOnly)
            }
        )
    }

    private static func settlementProblemTitle(_ problem: Components.Responses.Problem) -> String {
        (try? problem.body.applicationProblemJson.title) ?? "refused"
    }
}
