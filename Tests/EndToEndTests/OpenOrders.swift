import Foundation
import KioskCore
import KioskForwarding
import KioskStore
import KioskTesting

/// Open payment orders as a previous run of kioskd left them, for the kill -9 drills: each
/// begun in the kiosk's database at `path`, created at the centre, and marked open, with
/// the terminal `terminal(index)` names. The database is closed again before kioskd starts.
struct OpenOrderError: Error, CustomStringConvertible {
    var description: String { "the centre did not create an order" }
}

func openOrders(
    _ count: Int, databasePath path: String, harness: CaseServiceHarness, terminal: (Int) -> String
) async throws -> [UUID] {
    let database = try KioskDatabase(path: path)
    let client = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
    let bill = Bill(kind: .water, account: "3100000001", holderMasked: "张*", amountDueFen: 12_345, period: "2026-10")
    var orders: [UUID] = []
    for index in 0..<count {
        let id = UUID()
        try await database.beginOrder(id: id, bill: bill, terminal: terminal(index), at: Date())
        guard case .created(let order) = await client.createOrder(id: id, for: bill) else { throw OpenOrderError() }
        try await database.updateOrder(id: id, number: order.number, expiresAt: order.expiresAt, state: .open)
        orders.append(id)
    }
    try database.close()
    return orders
}
