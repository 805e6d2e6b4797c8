import KioskControl
import KioskCore

/// The status updates behind `Events`.
extension DaemonBackend {
    /// How often a watched daemon looks at its status for changes.
    static let eventInterval = Duration.seconds(1)

    /// The status now and then every `eventInterval` of the time environment's clock, for
    /// as long as someone watches: the services report their state as values, not as
    /// events, so a change is seen within one interval. Only the newest update waits for a
    /// slow watcher.
    func statusUpdates() -> AsyncStream<StatusUpdate> {
        AsyncStream(bufferingPolicy: .bufferingNewest(1)) { continuation in
            let task = Task {
                var next = time.now
                while !Task.isCancelled {
                    let status: DaemonStatus
                    if let now = statusNow() { status = now } else { status = await self.status() }
                    continuation.yield(StatusUpdate(at: time.format.timestamp(time.wallNow), status: status))
                    next = next.advanced(by: Self.eventInterval)
                    do { try await time.sleep(until: next) } catch { break }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
