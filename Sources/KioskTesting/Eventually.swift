/// Waits in real time, at most `timeout`, until `condition` holds; returns whether it did.
/// For outcomes of real I/O (a database row, an answer from case-service), never for the
/// daemon's own timers, which tests drive with `TestClock`.
public func eventually(within timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await ContinuousClock().sleep(for: .milliseconds(10))
    }
    return await condition()
}
