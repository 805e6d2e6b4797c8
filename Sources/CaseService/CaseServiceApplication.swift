import CaseServiceAPI
import Foundation
import Hummingbird
import Logging
import NIOCore
import OpenAPIHummingbird
import OpenAPIRuntime
import ServiceLifecycle

/// The reference implementation of the central case service's contract
/// (`Resources/openapi/case-service.yaml`), used by the demo, the tests and the
/// benchmarks. It listens on loopback only. Besides the contract it serves admin routes
/// for tests and demos: `GET|PUT /admin/faults`, `GET /admin/stats`,
/// `POST /admin/cases/{caseNumber}/advance[?status=…&subItem=…]` and
/// `POST /admin/payment-orders/{orderId}/pay[?channel=…]` (the payer paid);
/// `GET /admin/identity/last-code` (the one-time code sent last: no real SMS is sent); and
/// the fleet view made from the kiosks' heartbeats, `GET /admin/fleet` (JSON) and `GET /fleet`
/// (HTML); `PUT|GET /admin/catalog` publishes and shows the catalog kiosks fetch (`GET /v1/catalog`).
public enum CaseServiceApplication {
    public struct Configuration: Sendable {
        /// The TCP port; 0 picks a free one (printed once listening).
        public var port: Int
        /// The SQLite file; nil keeps the data in a temporary file.
        public var databasePath: String?
        /// Bearer token → kiosk id.
        public var tokens: [String: String]
        public var faults: FaultSettings
        /// Unfinished cases move one status along after this long; nil: only by admin call.
        public var advanceEvery: Duration?
        /// How payment orders expire and whether they pay themselves.
        public var payments: PaymentSettings
        /// How one-time codes expire and lock.
        public var identity: IdentitySettings

        public init(
            port: Int = 8086, databasePath: String? = nil, tokens: [String: String] = ["demo-token": "demo"],
            faults: FaultSettings = FaultSettings(), advanceEvery: Duration? = nil, payments: PaymentSettings = PaymentSettings(),
            identity: IdentitySettings = IdentitySettings()
        ) {
            self.identity = identity
            self.port = port
            self.databasePath = databasePath
            self.tokens = tokens
            self.faults = faults
            self.advanceEvery = advanceEvery
            self.payments = payments
        }
    }

    /// Builds the service. `onListening` receives the base URL once connections are
    /// accepted (with the real port when 0 was asked).
    public static func build(
        configuration: Configuration, logger: Logger = Logger(label: "case-service"),
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let path = configuration.databasePath ?? NSTemporaryDirectory() + "/case-service-\(UUID().uuidString).sqlite"
        let store = try CaseStore(path: path)
        let switches = FaultSwitches(configuration.faults)
        let router = Router()
        // The generated routes are recorded first, so the outermost middleware knows the
        // contract's paths and methods, then registered after the middleware (Hummingbird
        // applies only middleware added before a route). Dates are read as tolerantly as
        // kioskd's client reads them (fractional seconds, offsets) and written as it writes them.
        let recorder = RouteRecorder()
        try CaseServiceHandler(store: store, switches: switches, payments: configuration.payments, identity: configuration.identity).registerHandlers(
            on: recorder, configuration: OpenAPIRuntime.Configuration(dateTranscoder: InternetDateTranscoder())
        )
        router.add(middleware: ContractErrorMiddleware(routes: recorder.routes))
        router.add(middleware: FaultMiddleware(switches: switches))
        router.add(middleware: KioskAuthenticationMiddleware(tokens: configuration.tokens))
        router.add(middleware: JSONNullMiddleware())
        recorder.replay(on: router)
        addAdminRoutes(to: router, store: store, switches: switches, payments: configuration.payments)
        addFleetRoutes(to: router, store: store)
        addCatalogRoutes(to: router, store: store)
        var services: [any Service] = []
        if let every = configuration.advanceEvery {
            services.append(ScheduledAdvance(store: store, every: every))
        }
        return Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname("127.0.0.1", port: configuration.port), serverName: "case-service"
            ),
            services: services,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                await onListening("http://127.0.0.1:\(port)")
            },
            logger: logger
        )
    }

    private static func addAdminRoutes(
        to router: Router<BasicRequestContext>, store: CaseStore, switches: FaultSwitches, payments: PaymentSettings
    ) {
        router.post("/admin/payment-orders/:orderId/pay") { request, context in
            let id = try context.parameters.require("orderId")
            let channel = request.uri.queryParameters["channel"].map(String.init) ?? "wechat"
            let (order, allowed) = try await store.pay(id: id.lowercased(), channel: channel, settings: payments, now: Date())
            guard allowed else { return ContractProblem.conflict("The order was cancelled").response() }
            guard let order else { return ContractProblem.notFound("No such order").response() }
            return try jsonResponse(order)
        }
        // The reference service sends no SMS: tests and the demo read the code here.
        router.get("/admin/identity/last-code") { _, _ in
            guard let last = try await store.lastCode() else { return ContractProblem.notFound("No code sent yet").response() }
            return try jsonResponse(last)
        }
        router.get("/admin/faults") { _, _ in try jsonResponse(switches.settings) }
        router.put("/admin/faults") { request, context in
            let settings = try await request.decode(as: FaultSettings.self, context: context)
            switches.set(settings)
            return try jsonResponse(settings)
        }
        router.get("/admin/stats") { _, _ in
            var statistics = switches.counters
            statistics.applications = try await store.applicationCount()
            statistics.paymentReports = try await store.paymentReportCount()
            statistics.settlements = try await store.settlementCount()
            return try jsonResponse(statistics)
        }
        router.post("/admin/cases/:caseNumber/advance") { request, context in
            let caseNumber = try context.parameters.require("caseNumber")
            let status = request.uri.queryParameters["status"].map(String.init)
            let subItem = request.uri.queryParameters["subItem"].map(String.init)
            if let status, Components.Schemas.CaseStatus(rawValue: status) == nil {
                return ContractProblem.invalidRequest("Unknown status").response()
            }
            guard let row = try await store.advance(caseNumber: caseNumber, to: status, subItem: subItem, now: Date()) else {
                return ContractProblem.notFound("No such case").response()
            }
            return try jsonResponse(row.contractCase)
        }
    }

    private static func jsonResponse(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        return Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value)))
        )
    }
}

/// Moves unfinished cases one status along on a schedule, as a platform's back office
/// would, so kiosks have status changes to pull.
struct ScheduledAdvance: Service {
    let store: CaseStore
    let every: Duration

    func run() async throws {
        let seconds = Double(every.components.seconds) + Double(every.components.attoseconds) / 1e18
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: every)
                let now = Date()
                for caseNumber in (try? await store.casesToAdvance(olderThan: seconds, now: now)) ?? [] {
                    _ = try? await store.advance(caseNumber: caseNumber, to: nil, subItem: nil, now: now)
                }
            }
        }
    }
}
