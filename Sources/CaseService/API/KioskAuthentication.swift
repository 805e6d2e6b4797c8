import Hummingbird

/// Which kiosk a request comes from, known from its bearer token; a kiosk only ever sees
/// its own applications.
enum KioskIdentity {
    @TaskLocal static var current: String?
}

/// Checks the bearer token of every contract request (`/v1/…`) and runs the rest of the
/// chain with the kiosk it names; an unknown or missing token is 401.
struct KioskAuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Token → kiosk.
    let tokens: [String: String]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") else { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              let kiosk = tokens[String(header.dropFirst("Bearer ".count))]
        else {
            return Problem.response(status: .unauthorized, title: "Unknown kiosk token")
        }
        return try await KioskIdentity.$current.withValue(kiosk) { try await next(request, context) }
    }
}
