import Hummingbird
import NIOCore
import OpenAPIRuntime

/// The outermost middleware: afterwards every error answer is a problem+json
/// (`ContractProblem`) with a 4xx for what the client got wrong and a 500 only for the
/// service's own faults.
///
/// - A known contract path asked with a method it does not have (TRACE, PUT, …) is 405
///   with `Allow`, before authentication, as a router would answer.
/// - A POST or PUT body over `maximumBodyBytes` is 413 (the body is collected here, so the
///   middleware after this one can read it whole).
/// - Errors thrown below become problems: the generated server's (a body that is no JSON or
///   not the schema's, a parameter that does not parse, a missing header) are 400, or 415
///   for a body that is not JSON; the router's unknown paths are 404; handlers'
///   `ContractProblem`s are answered as they are; anything else is a 500 with a problem.
struct ContractErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The most bytes a request body may have (the largest real body, a day's settlement
    /// of a busy kiosk, is well under 1 MiB).
    static var maximumBodyBytes: Int { 1 << 20 }

    let routes: ContractRoutes

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let allowed = routes.allowedMethods(forPath: request.uri.path)
        if let allowed, !allowed.contains(request.method) {
            return ContractProblem.methodNotAllowed(request.method, allowed: allowed).response()
        }
        do {
            var request = request
            if allowed != nil, request.method == .post || request.method == .put {
                if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maximumBodyBytes {
                    return ContractProblem.tooLarge(limit: Self.maximumBodyBytes).response()
                }
                _ = try await request.collectBody(upTo: Self.maximumBodyBytes)
            }
            return try await next(request, context)
        } catch {
            return Self.problem(for: error, path: request.uri.path).response()
        }
    }

    /// The problem that answers `error`.
    static func problem(for error: any Error, path: String) -> ContractProblem {
        switch error {
        case let problem as ContractProblem:
            return problem
        case let error as ServerError:
            if let problem = error.underlyingError as? ContractProblem { return problem }
            let status = Int(error.httpStatus.code)
            let detail = String(error.causeDescription.prefix(600))
            switch status {
            case 415: return .unsupportedMediaType(detail)
            case 400..<500: return .status(status, title: "The request does not match the contract", detail: detail)
            // The request could not be read as the operation's input: the client's fault.
            default: return error.operationInput == nil ? .invalidRequest(detail) : .internalError(detail)
            }
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound("No such resource", detail: "The contract has no path \(path).")
            case .contentTooLarge: return .tooLarge(limit: maximumBodyBytes)
            default: return .status(Int(error.status.code), title: error.status.reasonPhrase, detail: error.body)
            }
        case is NIOTooManyBytesError:
            return .tooLarge(limit: maximumBodyBytes)
        default:
            return .internalError("\(type(of: error))")
        }
    }
}
