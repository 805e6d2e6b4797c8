/// Stops a forwarder from hammering a central service that is down: after `threshold`
/// failures in a row the circuit opens and no request is sent until `openFor` has passed;
/// then one probe is let through (half-open): success closes the circuit, failure opens it
/// again. A pure state machine over an injected clock's instants.
public struct CircuitBreaker<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    public enum State: Sendable, Hashable {
        case closed(failures: Int)
        case open(until: Instant)
        case halfOpen
    }

    public private(set) var state: State = .closed(failures: 0)
    public let threshold: Int
    public let openFor: Duration

    public init(threshold: Int = 5, openFor: Duration = .seconds(10)) {
        precondition(threshold >= 1)
        self.threshold = threshold
        self.openFor = openFor
    }

    /// Whether a request may go out at `now`; an open circuit whose time is up lets
    /// exactly one probe through.
    public mutating func allowsRequest(at now: Instant) -> Bool {
        switch state {
        case .closed: return true
        case .halfOpen: return false
        case .open(let until):
            guard now >= until else { return false }
            state = .halfOpen
            return true
        }
    }

    /// The central service answered (any answer that is not an outage).
    public mutating func recordSuccess() {
        state = .closed(failures: 0)
    }

    /// The central service did not answer, or answered that it is unavailable.
    public mutating func recordFailure(at now: Instant) {
        switch state {
        case .closed(let failures) where failures + 1 < threshold:
            state = .closed(failures: failures + 1)
        default:
            state = .open(until: now.advanced(by: openFor))
        }
    }

    public var isOpen: Bool {
        if case .closed = state { false } else { true }
    }
}
