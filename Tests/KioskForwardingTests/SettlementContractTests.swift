import Foundation
import KioskCore
import KioskForwarding
import KioskTesting
import Testing

@testable import CaseService

/// How the centre compares a settlement with its paid orders (pure).
@Suite("Settlement comparison at the centre")
struct SettlementComparisonTests {
    typealias Kiosk = SettlementComparison.KioskPayment
    typealias Centre = SettlementComparison.CentreOrder

    @Test("The same orders with the same amounts match")
    func matched() {
        // Given two water bills and a gas bill on both sides
        let kiosk = [Kiosk(orderID: "a", itemID: "bill-water", amountFen: 100), Kiosk(orderID: "b", itemID: "bill-water", amountFen: 250),
                     Kiosk(orderID: "c", itemID: "bill-gas", amountFen: 75)]
        let centre = [Centre(orderID: "c", orderNumber: "PO3", itemID: "bill-gas", amountFen: 75),
                      Centre(orderID: "a", orderNumber: "PO1", itemID: "bill-water", amountFen: 100),
                      Centre(orderID: "b", orderNumber: "PO2", itemID: "bill-water", amountFen: 250)]
        // When compared / Then nothing differs
        let outcome = SettlementComparison.compare(kiosk: kiosk, centre: centre)
        #expect(outcome.matched && outcome.differences.isEmpty && outcome.orders.isEmpty)
        // And two zero days match too
        #expect(SettlementComparison.compare(kiosk: [], centre: []).matched)
    }

    @Test("An order paid at the centre that the kiosk did not record is a mismatch: the item's count and fen, and the order")
    func centreOnly() {
        // Given the centre has a second water bill the kiosk never recorded
        let kiosk = [Kiosk(orderID: "a", itemID: "bill-water", amountFen: 12_345)]
        let centre = [Centre(orderID: "a", orderNumber: "PO1", itemID: "bill-water", amountFen: 12_345),
                      Centre(orderID: "z", orderNumber: "PO9", itemID: "bill-water", amountFen: 6_420)]
        // When compared
        let outcome = SettlementComparison.compare(kiosk: kiosk, centre: centre)
        // Then the water item differs by one order and its fen, and the order is named with its number
        #expect(!outcome.matched)
        #expect(outcome.differences == [.init(itemID: "bill-water", kioskCount: 1, kioskFen: 12_345, centreCount: 2, centreFen: 18_765)])
        #expect(outcome.orders == [.init(orderID: "z", orderNumber: "PO9", itemID: "bill-water", amountFen: 6_420, side: .centreOnly)])
    }

    @Test("A kiosk-only order and an amount that differs are named; an item only one side has is a difference")
    func kioskOnlyAndAmount() {
        // Given the kiosk's gas bill unknown at the centre and a water bill with another amount
        let kiosk = [Kiosk(orderID: "a", itemID: "bill-water", amountFen: 100), Kiosk(orderID: "g", itemID: "bill-gas", amountFen: 50)]
        let centre = [Centre(orderID: "a", orderNumber: "PO1", itemID: "bill-water", amountFen: 90)]
        // When compared
        let outcome = SettlementComparison.compare(kiosk: kiosk, centre: centre)
        // Then both items differ, by item id, and both orders are named
        #expect(outcome.differences.map(\.itemID) == ["bill-gas", "bill-water"])
        #expect(outcome.differences[0].centreCount == 0 && outcome.differences[0].kioskFen == 50)
        #expect(outcome.differences[1].kioskFen == 100 && outcome.differences[1].centreFen == 90)
        #expect(Set(outcome.orders.map(\.side)) == [.kioskOnly, .amountDiffers])
        // And orders that only swap with equal sums still count as a mismatch
        let swapped = SettlementComparison.compare(
            kiosk: [Kiosk(orderID: "x", itemID: "bill-water", amountFen: 100)],
            centre: [Centre(orderID: "y", orderNumber: "PO2", itemID: "bill-water", amountFen: 100)]
        )
        #expect(swapped.differences.isEmpty && !swapped.matched && swapped.orders.count == 2)
    }
}

/// `POST /v1/settlements` through kioskd's client against the real case-service.
@Suite("Settlement contract", .serialized)
struct SettlementContractTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    /// A zero report of `day`, its period a day long.
    static func zeroReport(_ day: String) -> SettlementReport {
        let day = CalendarDate(parsing: day)!
        return Settlement.report(day: day, period: SettlementSchedule(timeZone: zone).period(of: day), timeZone: zone, records: [])
    }

    @Test("The same day twice gets the first answer and one settlement is kept; other content for the day is 409; a malformed one 422")
    func idempotentPerDay() async throws {
        let directory = try TemporaryDirectory()
        try await CaseServiceHarness.withCaseService(in: directory) { harness in
            // Given kioskd's client and a zero day
            let client = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
            let report = Self.zeroReport("2026-11-22")
            let hash = String(repeating: "0a", count: 32)
            // When the day is forwarded twice
            guard case .answered(let first) = await client.settle(report, reportHash: hash, now: Date()),
                  case .answered(let second) = await client.settle(report, reportHash: hash, now: Date())
            else {
                Issue.record("not answered")
                return
            }
            // Then both answers are the first one (matched: nothing on either side), and the centre keeps one
            #expect(first.result == .matched && second == first)
            var statistics = try await harness.statistics()
            #expect(statistics.settlements == 1 && statistics.settlementRepeats == 1)
            // When another settlement of the same day arrives / Then it is refused for good with 409
            let other = await client.settle(report, reportHash: String(repeating: "0b", count: 32), now: Date())
            guard case .refused(let reason) = other else {
                Issue.record("not refused: \(other)")
                return
            }
            #expect(reason.hasPrefix("409"))
            // And a settlement whose totals do not add up is 422
            var broken = Self.zeroReport("2026-11-23")
            broken.lines = [SettlementReport.Line(itemID: "bill-water", channel: "wechat", paymentCount: 1, paymentFen: 100)]
            guard case .refused(let malformed) = await client.settle(broken, reportHash: hash, now: Date()) else {
                Issue.record("malformed settlement not refused")
                return
            }
            #expect(malformed.hasPrefix("422"))
            statistics = try await harness.statistics()
            #expect(statistics.settlements == 1 && statistics.settlementConflicts == 1)
        }
    }

    @Test("Another kiosk's token settles its own day: days are per kiosk")
    func perKiosk() async throws {
        let directory = try TemporaryDirectory()
        let configuration = CaseServiceApplication.Configuration(tokens: ["demo-token": "demo", "other-token": "other"])
        try await CaseServiceHarness.withCaseService(configuration, in: directory) { harness in
            // Given two kiosks settling the same day with different hashes
            let report = Self.zeroReport("2026-11-22")
            let mine = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "demo-token")
            let theirs = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "other-token")
            // Then neither is a conflict for the other, and a wrong token is retried, not refused
            guard case .answered = await mine.settle(report, reportHash: String(repeating: "01", count: 32), now: Date()),
                  case .answered = await theirs.settle(report, reportHash: String(repeating: "02", count: 32), now: Date())
            else {
                Issue.record("not answered")
                return
            }
            let stranger = CentralServiceClient(baseURL: URL(string: harness.url)!, token: "nobody")
            guard case .retry(let reason, _, _) = await stranger.settle(report, reportHash: String(repeating: "03", count: 32), now: Date())
            else {
                Issue.record("an unknown token was not retried")
                return
            }
            #expect(reason.hasPrefix("401"))
            let statistics = try await harness.statistics()
            #expect(statistics.settlements == 2)
        }
    }
}
