import CaseServiceAPI
import Foundation
import Hummingbird
import NIOCore
import OpenAPIRuntime

/// Why the service refuses or fails a request, as the RFC 9457 answer it becomes: every
/// error of the service, whether a handler, the generated server, the router or a
/// middleware found it, is `application/problem+json` with `type`, `title`, `status` and
/// `detail`, so a client can always read why.
///
/// Thrown from a handler it reaches `ContractErrorMiddleware` inside the generated
/// server's `ServerError` (it is `HTTPResponseConvertible`); returned from a middleware it
/// is `response()`.
struct ContractProblem: Error, Sendable, Hashable, HTTPResponseConvertible {
    private enum Kind: Sendable, Hashable {
        /// 400: the body, a parameter or a header is not what the contract's schema says.
        case invalidRequest
        /// 401: no kiosk token, or one the service does not know.
        case unauthorized
        /// 404: the resource does not exist (for this kiosk).
        case notFound
        /// 405: the path exists, the method does not.
        case methodNotAllowed
        /// 409: a different version of something already recorded.
        case conflict
        /// 413: a body over `ContractErrorMiddleware.maximumBodyBytes`.
        case tooLarge
        /// 415: a body that is not `application/json`.
        case unsupportedMediaType
        /// 422: well formed, but against a rule the contract documents.
        case ruleBroken
        /// 500: the service's own fault.
        case internalError
        /// Any other status (the fault switches inject arbitrary ones).
        case other(Int)
    }

    private let kind: Kind
    /// A short summary, the same for every occurrence of the problem (kioskd logs it).
    let title: String
    /// What exactly was wrong with this request.
    let detail: String?
    /// Headers the answer carries besides its content type (Allow, WWW-Authenticate,
    /// Retry-After).
    private(set) var extraHeaders: HTTPFields = [:]

    private init(_ kind: Kind, title: String, detail: String?, headers: HTTPFields = [:]) {
        self.kind = kind
        self.title = title
        self.detail = detail
        self.extraHeaders = headers
    }

    static func invalidRequest(_ detail: String) -> ContractProblem {
        ContractProblem(.invalidRequest, title: "The request does not match the contract", detail: detail)
    }

    /// The realm and, when a token was sent, RFC 6750's `invalid_token`.
    static func unauthorized(tokenSent: Bool) -> ContractProblem {
        let challenge = tokenSent ? #"Bearer realm="case-service", error="invalid_token""# : #"Bearer realm="case-service""#
        return ContractProblem(
            .unauthorized, title: "Unknown kiosk token",
            detail: tokenSent ? "The bearer token names no kiosk." : "Send the kiosk's token as Authorization: Bearer TOKEN.",
            headers: [.wwwAuthenticate: challenge]
        )
    }

    static func notFound(_ title: String, detail: String? = nil) -> ContractProblem {
        ContractProblem(.notFound, title: title, detail: detail)
    }

    /// `allowed` goes into the Allow header, as RFC 9110 requires of a 405.
    static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> ContractProblem {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return ContractProblem(
            .methodNotAllowed, title: "Method not allowed", detail: "\(method.rawValue) is not allowed here; allowed: \(list).",
            headers: [.allow: list]
        )
    }

    static func conflict(_ title: String) -> ContractProblem {
        ContractProblem(.conflict, title: title, detail: nil)
    }

    static func tooLarge(limit: Int) -> ContractProblem {
        ContractProblem(.tooLarge, title: "The body is too large", detail: "A body takes at most \(limit) bytes.")
    }

    static func unsupportedMediaType(_ detail: String) -> ContractProblem {
        ContractProblem(.unsupportedMediaType, title: "The body must be application/json", detail: detail)
    }

    static func ruleBroken(_ title: String, detail: String? = nil) -> ContractProblem {
        ContractProblem(.ruleBroken, title: title, detail: detail)
    }

    static func internalError(_ detail: String) -> ContractProblem {
        ContractProblem(.internalError, title: "The service failed", detail: detail)
    }

    /// A problem of any status, with `Retry-After` when `retryAfter` is set.
    static func status(_ status: Int, title: String, detail: String? = nil, retryAfter: Int? = nil) -> ContractProblem {
        var problem = ContractProblem(Self.kind(of: status), title: title, detail: detail)
        if status == 401 { problem = .unauthorized(tokenSent: false).retitled(title) }
        if let retryAfter { problem.extraHeaders[.retryAfter] = String(retryAfter) }
        return problem
    }

    private static func kind(of status: Int) -> Kind {
        switch status {
        case 400: .invalidRequest
        case 401: .unauthorized
        case 404: .notFound
        case 405: .methodNotAllowed
        case 409: .conflict
        case 413: .tooLarge
        case 415: .unsupportedMediaType
        case 422: .ruleBroken
        case 500: .internalError
        default: .other(status)
        }
    }

    private func retitled(_ title: String) -> ContractProblem {
        ContractProblem(kind, title: title, detail: detail, headers: extraHeaders)
    }

    var statusCode: Int {
        switch kind {
        case .invalidRequest: 400
        case .unauthorized: 401
        case .notFound: 404
        case .methodNotAllowed: 405
        case .conflict: 409
        case .tooLarge: 413
        case .unsupportedMediaType: 415
        case .ruleBroken: 422
        case .internalError: 500
        case .other(let status): status
        }
    }

    /// A URN naming the kind of problem; `about:blank` (RFC 9457's "nothing beyond the
    /// status") for statuses the contract gives no meaning of their own.
    var type: String {
        switch kind {
        case .invalidRequest: "urn:kioskd:case-service:invalid-request"
        case .unauthorized: "urn:kioskd:case-service:unauthorized"
        case .notFound: "urn:kioskd:case-service:not-found"
        case .methodNotAllowed: "urn:kioskd:case-service:method-not-allowed"
        case .conflict: "urn:kioskd:case-service:conflict"
        case .tooLarge: "urn:kioskd:case-service:body-too-large"
        case .unsupportedMediaType: "urn:kioskd:case-service:unsupported-media-type"
        case .ruleBroken: "urn:kioskd:case-service:rule-broken"
        case .internalError: "urn:kioskd:case-service:internal-error"
        case .other: "about:blank"
        }
    }

    /// The contract's Problem schema, for the generated handlers' answers.
    var contract: Components.Schemas.Problem {
        Components.Schemas.Problem(_type: type, title: title, status: statusCode, detail: detail)
    }

    /// The JSON body: sorted keys, so equal problems are equal bytes.
    var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(contract)) ?? Data(#"{"status":\#(statusCode),"title":"error"}"#.utf8)
    }

    var headers: HTTPFields {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        headers.append(contentsOf: extraHeaders)
        return headers
    }

    /// The answer as Hummingbird writes it.
    func response() -> Response {
        Response(
            status: HTTPResponse.Status(code: statusCode), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: json))
        )
    }

    // MARK: HTTPResponseConvertible (the generated server's errors)

    var httpStatus: HTTPResponse.Status { HTTPResponse.Status(code: statusCode) }
    var httpHeaderFields: HTTPFields { headers }
    var httpBody: HTTPBody? { HTTPBody(json) }
}
