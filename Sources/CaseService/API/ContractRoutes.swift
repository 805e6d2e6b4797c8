import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// The contract's paths and the methods each one has, as the generated server registers
/// them, so a request for a known path with another method is answered 405 with `Allow`
/// instead of the router's 404.
struct ContractRoutes: Sendable {
    private struct Route: Sendable {
        /// The template's segments; nil stands for a `{parameter}`.
        let segments: [String?]
        var methods: [HTTPRequest.Method]
    }

    private var routes: [Route] = []

    /// Adds `method` for the OpenAPI path template `template` (`/v1/cases/{caseNumber}`).
    mutating func add(_ method: HTTPRequest.Method, template: String) {
        let segments = template.split(separator: "/", omittingEmptySubsequences: false).map { $0.hasPrefix("{") && $0.hasSuffix("}") ? nil : String($0) }
        if let index = routes.firstIndex(where: { $0.segments == segments }) {
            routes[index].methods.append(method)
        } else {
            routes.append(Route(segments: segments, methods: [method]))
        }
    }

    /// The methods of the contract path `path` matches, or nil when it matches none.
    func allowedMethods(forPath path: String) -> [HTTPRequest.Method]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        return routes.first { route in
            route.segments.count == segments.count
                && zip(route.segments, segments).allSatisfy { template, segment in template.map { $0 == segment } ?? true }
        }?.methods
    }
}

/// Takes the generated server's registrations instead of the router, so the routes are
/// known before the middleware that needs them is added, then hands them to the router
/// (Hummingbird applies only the middleware added before a route).
final class RouteRecorder: ServerTransport {
    typealias Handler = @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)

    private var registrations: [(handler: Handler, method: HTTPRequest.Method, path: String)] = []

    /// Every path and method registered so far.
    private(set) var routes = ContractRoutes()

    func register(_ handler: @escaping Handler, method: HTTPRequest.Method, path: String) throws {
        registrations.append((handler, method, path))
        routes.add(method, template: path)
    }

    /// Registers everything recorded on `router`, in the order it was recorded.
    func replay<Context: RequestContext>(on router: Router<Context>) {
        for registration in registrations {
            router.register(registration.handler, method: registration.method, path: registration.path)
        }
    }
}
