import CaseServiceAPI
import Foundation

/// The fleet as the centre sees it from each kiosk's latest heartbeat: the halls, and in
/// each its kiosks, what needs someone first. Stale kiosks (no heartbeat for more than
/// three of their intervals) come first, then kiosks with faults, then kiosks with a
/// backlog, then the rest; halls are ordered by their most urgent kiosk. What `GET
/// /admin/fleet` answers and `GET /fleet` shows.
struct FleetOverview: Sendable, Encodable {
    /// A kiosk is stale when its latest heartbeat arrived more than this many of its own
    /// intervals ago.
    static let staleAfterIntervals: Int64 = 3
    /// Outbox entries pending longer than this are a backlog (a healthy forwarder delivers
    /// within seconds).
    static let backlogAfterSeconds: Int64 = 300

    /// How urgent a kiosk is, most urgent first.
    enum Condition: String, Sendable, Encodable, Comparable, CaseIterable {
        case stale, fault, backlog, ok

        private var rank: Int { Self.allCases.firstIndex(of: self)! }

        static func < (lhs: Condition, rhs: Condition) -> Bool { lhs.rank < rhs.rank }
    }

    struct Kiosk: Sendable, Encodable {
        let kioskId: String
        /// The hall's name as the kiosk sent it; empty when it sent none.
        let hall: String
        let receivedAt: Date
        /// Seconds since `receivedAt`.
        let ageSeconds: Int64
        let stale: Bool
        /// The most urgent thing about the kiosk.
        let condition: Condition
        /// What needs someone, in words ("receipt printer fault: media-empty (hall-staff)").
        let faults: [String]
        /// The outbox backlog in words, or nil when there is none.
        let backlog: String?
        let heartbeat: Components.Schemas.Heartbeat
    }

    struct Hall: Sendable, Encodable {
        /// Empty for kiosks that sent no hall name.
        let name: String
        /// Its most urgent kiosk's condition.
        let condition: Condition
        let kiosks: [Kiosk]
    }

    let generatedAt: Date
    let staleAfterIntervals: Int64
    let kioskCount: Int
    let staleCount: Int
    let faultCount: Int
    let backlogCount: Int
    let halls: [Hall]

    init(heartbeats: [CaseStore.StoredHeartbeat], now: Date) {
        let kiosks = heartbeats.map { Self.kiosk($0, now: now) }.sorted { ($0.condition, $0.kioskId) < ($1.condition, $1.kioskId) }
        let byHall = Dictionary(grouping: kiosks, by: \.hall)
        halls = byHall.map { name, kiosks in Hall(name: name, condition: kiosks.map(\.condition).min() ?? .ok, kiosks: kiosks) }
            .sorted { ($0.condition, $0.name) < ($1.condition, $1.name) }
        generatedAt = now
        staleAfterIntervals = Self.staleAfterIntervals
        kioskCount = kiosks.count
        staleCount = kiosks.count { $0.stale }
        faultCount = kiosks.count { !$0.faults.isEmpty }
        backlogCount = kiosks.count { $0.backlog != nil }
    }

    static func kiosk(_ stored: CaseStore.StoredHeartbeat, now: Date) -> Kiosk {
        let heartbeat = stored.heartbeat
        let age = max(0, Int64(now.timeIntervalSince(stored.receivedAt).rounded(.down)))
        let stale = age > staleAfterIntervals * Int64(heartbeat.intervalSeconds)
        let faults = faults(of: heartbeat)
        let backlog = backlog(of: heartbeat.outbox)
        let condition: Condition = stale ? .stale : !faults.isEmpty ? .fault : backlog != nil ? .backlog : .ok
        return Kiosk(
            kioskId: stored.kiosk, hall: heartbeat.hall ?? "", receivedAt: stored.receivedAt, ageSeconds: age, stale: stale,
            condition: condition, faults: faults, backlog: backlog, heartbeat: heartbeat
        )
    }

    /// What in `heartbeat` needs a person: failed terminals, printers not ok, failed
    /// print jobs, dead letters, unprinted receipts, settlement faults, storage, a refused
    /// catalog. Plain words; the page escapes them.
    static func faults(of heartbeat: Components.Schemas.Heartbeat) -> [String] {
        var faults: [String] = []
        for terminal in heartbeat.terminals where terminal.state == .failed || terminal.state == .closed {
            faults.append("terminal \(terminal.name) \(terminal.state.rawValue)")
        }
        for printer in heartbeat.printers {
            if printer.severity != .ok {
                let reasons = printer.reasons.isEmpty ? printer.state.rawValue : printer.reasons.joined(separator: ", ")
                faults.append("\(printer.role.rawValue) printer \(printer.severity.rawValue): \(reasons) (\(printer.responsible.rawValue))")
            }
            if printer.failedJobs > 0 {
                faults.append("\(printer.failedJobs) \(printer.role.rawValue) job\(printer.failedJobs == 1 ? "" : "s") failed")
            }
        }
        if heartbeat.storage != .ok { faults.append("storage \(heartbeat.storage.rawValue)") }
        if heartbeat.outbox.dead > 0 { faults.append("\(heartbeat.outbox.dead) dead letter\(heartbeat.outbox.dead == 1 ? "" : "s")") }
        if let payments = heartbeat.payments {
            if payments.unprintedReceipts > 0 {
                faults.append("\(payments.unprintedReceipts) receipt\(payments.unprintedReceipts == 1 ? "" : "s") unprinted")
            }
            for fault in payments.settlementFaults { faults.append("settlement \(fault.day) \(fault.fault.rawValue)") }
        }
        if let refused = heartbeat.catalog.refusedVersion { faults.append("catalog \(refused) refused") }
        return faults
    }

    /// "3 pending, oldest 12 min" when entries wait longer than `backlogAfterSeconds`.
    static func backlog(of outbox: Components.Schemas.HeartbeatOutbox) -> String? {
        guard outbox.pending > 0, let oldest = outbox.oldestPendingSeconds, oldest > backlogAfterSeconds else { return nil }
        return "\(outbox.pending) pending, oldest \(duration(oldest))"
    }

    /// "42 s", "12 min", "3 h 5 min", "2 d 4 h".
    static func duration(_ seconds: Int64) -> String {
        switch seconds {
        case ..<60: "\(seconds) s"
        case ..<3600: "\(seconds / 60) min"
        case ..<86_400: "\(seconds / 3600) h \(seconds % 3600 / 60) min"
        default: "\(seconds / 86_400) d \(seconds % 86_400 / 3600) h"
        }
    }
}
