import Hummingbird

/// Which kiosk a request comes from, known from its bearer token; a kiosk only ever sees
/// its own applications.
enum KioskIdentity {
    @TaskLocal static var current: String?
}

/// Checks the bearer token of every contract request (`/v1/…`) and runs the rest of the
/// chain with the kiosk it names; an unknown or missing token is a 401 problem with the
/// `WWW-Authenticate: Bearer` challenge RFC 9110 requires (RFC 6750's `invalid_token` when
/// a token was sent). The scheme name is matched without regard to case, as RFC 9110 says.
struct KioskAuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Token → kiosk.
    let tokens: [String: String]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") else { return try await next(request, context) }
        let header = request.headers[.authorization]
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer ",
              let kiosk = tokens[String(header.dropFirst(7))]
        else {
            return ContractProblem.unauthorized(tokenSent: header != nil).response()
        }
        return try await KioskIdentity.$current.withValue(kiosk) { try await next(request, context) }
    }
}
