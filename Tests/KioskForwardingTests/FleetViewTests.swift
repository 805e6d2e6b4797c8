import CaseServiceAPI
import Foundation
import Testing

@testable import CaseService

/// The centre's fleet view, made from stored heartbeats (pure).
@Suite("Fleet view at the centre")
struct FleetViewTests {
    let now = Date(timeIntervalSince1970: 1_795_408_920)

    func heartbeat(
        _ kiosk: String, hall: String?, interval: Int = 60, terminals: [Components.Schemas.HeartbeatTerminal] = [],
        printers: [Components.Schemas.HeartbeatPrinter] = [], pending: Int = 0, oldest: Int64? = nil
    ) -> Components.Schemas.Heartbeat {
        Components.Schemas.Heartbeat(
            kioskId: kiosk, hall: hall, version: "0.1.0", sentAt: now, uptimeSeconds: 100, intervalSeconds: interval,
            terminals: terminals, printers: printers, outbox: .init(pending: pending, dead: 0, oldestPendingSeconds: oldest),
            storage: .ok, payments: nil, ledgerHeads: [], catalog: .init(source: .local, version: "sha256:abc")
        )
    }

    func stored(_ heartbeat: Components.Schemas.Heartbeat, age: TimeInterval) -> CaseStore.StoredHeartbeat {
        CaseStore.StoredHeartbeat(kiosk: heartbeat.kioskId, receivedAt: now.addingTimeInterval(-age), heartbeat: heartbeat)
    }

    let emptyPrinter = Components.Schemas.HeartbeatPrinter(
        role: .receipt, queue: "kiosk-receipt", state: .stopped, severity: .fault, responsible: .hallStaff, reasons: ["media-empty"],
        pendingJobs: 2, failedJobs: 0
    )

    @Test("Stale kiosks come first, then faults, then backlogs, then the rest; halls by their most urgent kiosk")
    func ordering() {
        // Given four kiosks in two halls: one fine, one silent for 200 s at 60 s, one out of paper, one with an old backlog
        let fleet = FleetOverview(heartbeats: [
            stored(heartbeat("A-OK", hall: "Hall X"), age: 5),
            stored(heartbeat("B-STALE", hall: "Hall X"), age: 200),
            stored(heartbeat("C-PAPER", hall: "Hall Y", printers: [emptyPrinter]), age: 5),
            stored(heartbeat("D-BACKLOG", hall: "Hall Y", pending: 5, oldest: 900), age: 5),
            stored(heartbeat("E-QUIET", hall: nil, pending: 1, oldest: 4), age: 1),
        ], now: now)
        // When ordered / Then the hall with the stale kiosk is first, and in each hall the most urgent kiosk leads
        #expect(fleet.halls.map(\.name) == ["Hall X", "Hall Y", ""])
        #expect(fleet.halls.map { $0.kiosks.map(\.kioskId) } == [["B-STALE", "A-OK"], ["C-PAPER", "D-BACKLOG"], ["E-QUIET"]])
        #expect(fleet.halls[1].kiosks.map(\.condition) == [.fault, .backlog])
        // And the fault and the backlog are said in words, the counts add up
        #expect(fleet.halls[1].kiosks[0].faults == ["receipt printer fault: media-empty (hall-staff)"])
        #expect(fleet.halls[1].kiosks[1].backlog == "5 pending, oldest 15 min")
        #expect(fleet.kioskCount == 5 && fleet.staleCount == 1 && fleet.faultCount == 1 && fleet.backlogCount == 1)
    }

    @Test("A kiosk is stale only after more than three of its own intervals without a heartbeat")
    func staleness() {
        // Given a 60 s kiosk heard from 180 s and 181 s ago, and a 10 s kiosk heard from 31 s ago
        let onTime = FleetOverview.kiosk(stored(heartbeat("A", hall: nil), age: 180), now: now)
        let late = FleetOverview.kiosk(stored(heartbeat("A", hall: nil), age: 181), now: now)
        let fast = FleetOverview.kiosk(stored(heartbeat("B", hall: nil, interval: 10), age: 31), now: now)
        // Then only the last two are stale
        #expect(!onTime.stale && late.stale && fast.stale && late.condition == .stale)
    }

    @Test("The page escapes what kiosks sent, highlights stale kiosks and reloads itself without any script")
    func page() {
        // Given kiosks whose hall, terminal and printer texts carry markup and control characters
        let hostile = heartbeat(
            "K-1", hall: "<script>alert(1)</script>大厅",
            terminals: [.init(name: "\"><img src=x onerror=alert(1)>", profile: .citizen, state: .failed, locked: false, errors: 1)],
            printers: [.init(role: .receipt, queue: "q&<b>", state: .stopped, severity: .warning, responsible: .hallStaff,
                             reasons: ["media-low\u{1B}[2J"], pendingJobs: 0, failedJobs: 0)]
        )
        let html = FleetPage.render(FleetOverview(heartbeats: [stored(hostile, age: 1_000)], now: now))
        // Then no markup of theirs survives, control characters are gone, and the text is there escaped
        #expect(!html.contains("<script") && !html.contains("<img") && !html.contains("<b>") && !html.contains("\u{1B}"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;大厅") && html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(html.contains("q&amp;&lt;b&gt;") && html.contains("media-low[2J"))
        // And the stale kiosk's row is marked, and the page refreshes itself
        #expect(html.contains("<tr class=\"stale\"><td class=\"kiosk\">K-1</td>"))
        #expect(html.contains("<meta http-equiv=\"refresh\" content=\"\(FleetPage.refreshSeconds)\">"))
    }
}
