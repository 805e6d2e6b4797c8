import Foundation
import Hummingbird
import NIOCore

extension CaseServiceApplication {
    /// `GET /admin/fleet` (the fleet as JSON) and `GET /fleet` (the same as an HTML page),
    /// both made from every kiosk's latest heartbeat at the time of the request. Like the
    /// other admin routes they need no kiosk token: the service listens on loopback only.
    static func addFleetRoutes(to router: Router<BasicRequestContext>, store: CaseStore) {
        router.get("/admin/fleet") { _, _ in
            let fleet = FleetOverview(heartbeats: try await store.latestHeartbeats(), now: Date())
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(fleet)))
            )
        }
        router.get("/fleet") { _, _ in
            let fleet = FleetOverview(heartbeats: try await store.latestHeartbeats(), now: Date())
            return Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: FleetPage.render(fleet)))
            )
        }
    }
}
