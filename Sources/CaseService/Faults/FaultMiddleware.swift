import Foundation
import Hummingbird
import NIOCore

/// Applies the fault switches to the contract's requests (`/v1/…`, and `/health` during an
/// outage); the admin routes are never faulted, so a test can always switch faults off.
struct FaultMiddleware<Context: RequestContext>: RouterMiddleware {
    let switches: FaultSwitches

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        let contract = path.hasPrefix("/v1/")
        guard contract || path == "/health" else { return try await next(request, context) }
        let settings = switches.settings
        if switches.inOutage {
            switches.count { $0.injectedErrors += 1 }
            return ContractProblem.status(503, title: "Outage (injected)", retryAfter: settings.retryAfterSeconds).response()
        }
        guard contract else { return try await next(request, context) }
        if settings.latencyMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(settings.latencyMilliseconds))
        }
        if let status = switches.drawError() {
            switches.count { $0.injectedErrors += 1 }
            let retryAfter = status == 503 || status == 429 ? settings.retryAfterSeconds : nil
            return ContractProblem.status(status, title: "Injected error", retryAfter: retryAfter).response()
        }
        let response = try await next(request, context)
        guard request.method == .post, (200..<300).contains(response.status.code), switches.drawDrop() else {
            return response
        }
        // Committed, then lost: the head goes out, the body never does, the connection
        // closes. The kiosk sees a failed request and must not apply it twice.
        switches.count { $0.dropped += 1 }
        var headers = response.headers
        headers[.contentLength] = nil
        return Response(status: response.status, headers: headers, body: ResponseBody { _ in throw DroppedResponse() })
    }
}

struct DroppedResponse: Error {}
