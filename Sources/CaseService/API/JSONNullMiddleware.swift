import Foundation
import Hummingbird
import NIOCore

/// Refuses a contract request whose JSON body has `null` for one of the schema's optional
/// properties with a 400 problem naming it. The contract's schemas allow no null, but the
/// generated decoders read a null optional property as an absent one (a null required one
/// they refuse themselves), so without this such a body was accepted. Properties the
/// schemas do not declare may hold anything, null included. Runs after authentication, on
/// the body `ContractErrorMiddleware` collected.
struct JSONNullMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The optional properties of each operation's body, by path (kept with
    /// Resources/openapi/case-service.yaml: every property not in a `required` list).
    static var optionalProperties: [String: [[String]]] {
        [
            "/v1/applications": [["delivery", "address"], ["identityProof"], ["identityProof", "tokenDigest"]],
            "/v1/social-insurance/summary": [["proof", "token"]],
            "/v1/housing-fund/summary": [["proof", "token"]],
            "/v1/ratings": [["applicationNumber"], ["itemId"], ["reason"]],
            "/v1/payments": [["afterSession"]],
            "/v1/settlements": [["unprintedReceipts"], ["paidAfterSession"]],
        ]
    }

    /// The optional properties of a PUT body, by path template (`/v1/kiosks/*/heartbeat`).
    static func optionalPutProperties(forPath path: String) -> [[String]]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.count == 5, segments[1] == "v1", segments[2] == "kiosks", segments[4] == "heartbeat" else { return nil }
        return [
            ["hall"], ["payments"], ["outbox", "oldestPendingSeconds"], ["payments", "lastSettledDay"],
            ["catalog", "refusedVersion"], ["catalog", "refusedReason"],
        ]
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let optional = switch request.method {
        case .post: Self.optionalProperties[request.uri.path]
        case .put: Self.optionalPutProperties(forPath: request.uri.path)
        default: [[String]]?.none
        }
        guard let optional else {
            return try await next(request, context)
        }
        var request = request
        let body = try await request.collectBody(upTo: ContractErrorMiddleware<Context>.maximumBodyBytes)
        if let property = Self.firstNull(of: optional, in: Data(body.readableBytesView)) {
            return ContractProblem.invalidRequest("\(property) is null; the contract allows no null (leave the property out)")
                .response()
        }
        return try await next(request, context)
    }

    /// The first of `properties` (as `delivery.address`) that is null in the JSON object
    /// `body`, or nil when none is or the body is no JSON object (the generated server
    /// refuses that itself).
    static func firstNull(of properties: [[String]], in body: Data) -> String? {
        guard let document = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        for path in properties {
            var value: Any? = document
            for key in path { value = (value as? [String: Any])?[key] }
            if value is NSNull { return path.joined(separator: ".") }
        }
        return nil
    }
}
