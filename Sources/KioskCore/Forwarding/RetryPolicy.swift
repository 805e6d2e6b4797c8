/// When to try a failed delivery again: full-jitter exponential backoff ("Exponential
/// Backoff And Jitter", AWS), so a hall of kiosks coming back from the same outage does not
/// hammer the central service in step.
public struct RetryPolicy: Sendable, Hashable {
    /// The ceiling of the first wait.
    public var base: Duration
    /// No wait is ever longer than this.
    public var cap: Duration

    public init(base: Duration, cap: Duration) {
        precondition(base > .zero && cap >= base)
        self.base = base
        self.cap = cap
    }

    /// The largest wait after `attempts` failed tries: min(cap, base · 2^(attempts-1)).
    public func ceiling(afterAttempts attempts: Int) -> Duration {
        let exponent = min(max(attempts - 1, 0), 40)
        let seconds = min(base.secondsDouble * Double(1 << exponent), cap.secondsDouble)
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// The wait after `attempts` failed tries: uniform in [0, ceiling], drawn by `unit`
    /// (a number in [0, 1), injected so tests can pin it), and never shorter than what the
    /// server asked for with Retry-After.
    public func delay(afterAttempts attempts: Int, unit: Double, retryAfter: Duration? = nil) -> Duration {
        let jittered = ceiling(afterAttempts: attempts) * max(0, min(unit, 1))
        guard let retryAfter else { return jittered }
        return max(jittered, retryAfter)
    }
}

extension Duration {
    var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
