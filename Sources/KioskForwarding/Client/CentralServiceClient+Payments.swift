import CaseServiceAPI
import Foundation
import KioskCore
import OpenAPIRuntime

extension CentralServiceClient {
    /// What is due on an account, asked live.
    public func bill(kind: BillKind, account: String) async -> LookupAnswer<Bill> {
        guard let contractKind = Components.Schemas.BillKind(rawValue: kind.rawValue) else { return .notFound }
        do {
            switch try await client.getBill(path: .init(kind: contractKind, account: account)) {
            case .ok(let ok):
                let bill = try ok.body.json
                return .found(Bill(
                    kind: kind, account: bill.account, holderMasked: bill.holderMasked, amountDueFen: bill.amountDueFen,
                    period: bill.period
                ))
            // An account longer than the contract allows (400) is no account either; the
            // centre answered 404 for it before it enforced the limit.
            case .notFound, .badRequest: return .notFound
            default: return .unavailable
            }
        } catch {
            return .unavailable
        }
    }

    /// What creating an order ended with.
    public enum OrderCreation: Sendable, Hashable {
        case created(PaymentOrder)
        /// The centre refused it (422: not due, a different body under the same id).
        case refused(String)
        /// No answer: the order may or may not exist; asking again with the same id is safe.
        case unavailable
    }

    /// Creates the order `id` for `bill`, with `id` as the Idempotency-Key: a repeat returns
    /// the same order.
    public func createOrder(id: UUID, for bill: Bill) async -> OrderCreation {
        guard let kind = Components.Schemas.BillKind(rawValue: bill.kind.rawValue) else { return .refused("unknown kind") }
        let request = Components.Schemas.PaymentOrderRequest(
            orderId: id.uuidString.lowercased(), kind: kind, account: bill.account, amountFen: bill.amountDueFen
        )
        do {
            switch try await client.createPaymentOrder(
                headers: .init(idempotencyKey: id.uuidString.lowercased()), body: .json(request)
            ) {
            case .created(let created): return Self.order(try created.body.json).map(OrderCreation.created) ?? .unavailable
            case .ok(let ok): return Self.order(try ok.body.json).map(OrderCreation.created) ?? .unavailable
            case .unprocessableContent(let problem): return .refused(Self.problemTitle(problem))
            default: return .unavailable
            }
        } catch {
            return .unavailable
        }
    }

    /// Where order `id` stands; nil when the centre did not answer or does not know it.
    public func order(id: UUID) async -> PaymentOrder? {
        guard case .ok(let ok) = try? await client.getPaymentOrder(path: .init(orderId: id.uuidString.lowercased())),
              let order = try? ok.body.json
        else { return nil }
        return Self.order(order)
    }

    /// Cancels order `id` (a paid one stays paid); the order as the centre has it after, or
    /// nil without an answer.
    public func cancelOrder(id: UUID) async -> PaymentOrder? {
        guard case .ok(let ok) = try? await client.cancelPaymentOrder(path: .init(orderId: id.uuidString.lowercased())),
              let order = try? ok.body.json
        else { return nil }
        return Self.order(order)
    }

    /// Reports a payment recorded in the ledger, with the order id as the Idempotency-Key.
    public func report(_ payment: PaymentReport, now: Date) async -> Delivery {
        let body = Components.Schemas.PaymentReport(
            orderId: payment.orderID.uuidString.lowercased(), terminal: payment.terminal, sequence: payment.sequence,
            amountFen: payment.amountFen, recordedAt: payment.recordedAt, hash: payment.hash, afterSession: payment.afterSession
        )
        do {
            switch try await client.reportPayment(
                headers: .init(idempotencyKey: payment.orderID.uuidString.lowercased()), body: .json(body)
            ) {
            case .created, .ok: return .delivered(nil)
            case .unauthorized: return .retry(reason: "401 token refused", retryAfter: nil, outage: false)
            case .unprocessableContent(let problem): return .refused(reason: "422 " + Self.problemTitle(problem))
            case .serviceUnavailable(let unavailable):
                return .retry(reason: "503 unavailable", retryAfter: RetryAfter.parse(unavailable.headers.retryAfter, now: now), outage: true)
            // Documented since the contract says what every status means; refused as before.
            case .badRequest: return Self.undocumentedDelivery(400)
            case .contentTooLarge: return Self.undocumentedDelivery(413)
            case .unsupportedMediaType: return Self.undocumentedDelivery(415)
            case .undocumented(let status, _): return Self.undocumentedDelivery(status)
            }
        } catch {
            return .retry(reason: "unreachable", retryAfter: nil, outage: true)
        }
    }

    private static func order(_ order: Components.Schemas.PaymentOrder) -> PaymentOrder? {
        guard let id = UUID(uuidString: order.orderId), let state = PaymentOrder.State(rawValue: order.state.rawValue) else {
            return nil
        }
        return PaymentOrder(
            id: id, number: order.orderNumber, amountFen: order.amountFen, state: state, payURL: order.payUrl,
            expiresAt: order.expiresAt, paidAt: order.paidAt, channel: order.channel
        )
    }

    private static func problemTitle(_ problem: Components.Responses.Problem) -> String {
        (try? problem.body.applicationProblemJson.title) ?? "refused"
    }
}
