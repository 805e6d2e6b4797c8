import Foundation
import Synchronization

/// The switches tests and demos use to make the reference service misbehave the ways a
/// real platform does. Set with `PUT /admin/faults` or the command line.
public struct FaultSettings: Codable, Sendable, Hashable {
    /// Added before every contract request is handled.
    public var latencyMilliseconds: Int
    /// The share (0…1) of contract requests answered with each status code instead of
    /// being handled: "500", "503" (with Retry-After) and "429" (with Retry-After).
    public var errorRates: [String: Double]
    /// The Retry-After sent with 503 and 429.
    public var retryAfterSeconds: Int
    /// Every request, health included, is answered 503 for this many seconds from when
    /// the setting is made.
    public var outageSeconds: Double
    /// The share (0…1) of successful submissions whose result is committed and whose
    /// response is then dropped, so the kiosk cannot know it succeeded.
    public var commitThenDrop: Double

    public init(
        latencyMilliseconds: Int = 0, errorRates: [String: Double] = [:], retryAfterSeconds: Int = 1,
        outageSeconds: Double = 0, commitThenDrop: Double = 0
    ) {
        self.latencyMilliseconds = latencyMilliseconds
        self.errorRates = errorRates
        self.retryAfterSeconds = retryAfterSeconds
        self.outageSeconds = outageSeconds
        self.commitThenDrop = commitThenDrop
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        latencyMilliseconds = try container.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0
        errorRates = try container.decodeIfPresent([String: Double].self, forKey: .errorRates) ?? [:]
        retryAfterSeconds = try container.decodeIfPresent(Int.self, forKey: .retryAfterSeconds) ?? 1
        outageSeconds = try container.decodeIfPresent(Double.self, forKey: .outageSeconds) ?? 0
        commitThenDrop = try container.decodeIfPresent(Double.self, forKey: .commitThenDrop) ?? 0
    }
}

/// What the service has seen, for tests and benchmarks to count duplicates with.
public struct CaseServiceStatistics: Codable, Sendable, Hashable {
    /// Distinct applications stored (one per UUID).
    public var applications: Int
    /// Submissions that reached the handler, first tries and repeats.
    public var submissions: Int
    /// Repeats answered with the original result.
    public var replays: Int
    /// Same UUID with a different body.
    public var conflicts: Int
    /// Responses dropped after the commit.
    public var dropped: Int
    /// Requests answered with an injected error or outage.
    public var injectedErrors: Int
    /// Payments kiosks reported (one per paid order).
    public var paymentReports = 0
    /// Settlements stored (one per kiosk and day).
    public var settlements = 0
    /// Settlements received again with the same content (answered with the first answer).
    public var settlementRepeats = 0
    /// Settlements refused because the day was settled with other content (409).
    public var settlementConflicts = 0
    /// One-time codes sent.
    public var identityChallenges = 0
    /// One-time codes refused: wrong ones (the one that locks included) and any typed while
    /// the person is locked.
    public var identityWrongCodes = 0
}

/// The current fault settings and counters, shared by the middleware and the handlers.
final class FaultSwitches: Sendable {
    private struct State {
        var settings = FaultSettings()
        var outageUntil: Date?
        var counters = CaseServiceStatistics(
            applications: 0, submissions: 0, replays: 0, conflicts: 0, dropped: 0, injectedErrors: 0
        )
    }

    private let state = Mutex(State())

    init(_ settings: FaultSettings = FaultSettings()) {
        set(settings)
    }

    var settings: FaultSettings { state.withLock { $0.settings } }

    func set(_ settings: FaultSettings) {
        state.withLock {
            $0.settings = settings
            $0.outageUntil = settings.outageSeconds > 0 ? Date().addingTimeInterval(settings.outageSeconds) : nil
        }
    }

    var inOutage: Bool {
        state.withLock { state in
            guard let until = state.outageUntil else { return false }
            return Date() < until
        }
    }

    /// The injected status for this request, if one is drawn.
    func drawError() -> Int? {
        let rates = settings.errorRates
        var roll = Double.random(in: 0..<1)
        for (code, rate) in rates.sorted(by: { $0.key < $1.key }) {
            guard let status = Int(code) else { continue }
            if roll < rate { return status }
            roll -= rate
        }
        return nil
    }

    func drawDrop() -> Bool {
        let rate = settings.commitThenDrop
        return rate > 0 && Double.random(in: 0..<1) < rate
    }

    func count(_ update: (inout CaseServiceStatistics) -> Void) {
        state.withLock { update(&$0.counters) }
    }

    var counters: CaseServiceStatistics { state.withLock { $0.counters } }
}
