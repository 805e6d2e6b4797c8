import Synchronization

/// How far a terminal's reader may run ahead of its session: at most `limit` reads handed
/// over and not yet taken in by the session machine.
///
/// A reader that waits here stops taking bytes from the device channel; the channel's own
/// back-pressure then stops reading the descriptor, the line's buffer fills and a flooding
/// sender is slowed by the kernel. Before, the reader took a flood as fast as it came and
/// dropped what the session could not follow: every dropped slice still cost a read and a
/// task switch on the event loop the other terminals share.
final class ReadAhead: Sendable {
    private struct State {
        var available: Int
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state: Mutex<State>

    init(limit: Int) {
        precondition(limit >= 1, "a reader must be allowed one read ahead")
        state = Mutex(State(available: limit))
    }

    /// Returns once a read may be handed over (taking its slot), or at once when the task
    /// is cancelled (taking none: the reader is ending). One task waits here at a time:
    /// the device's reader.
    func acquire() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.available > 0 {
                        state.available -= 1
                        return true
                    }
                    if Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    /// Gives a slot back: the session took in a read, or a read it was handed was dropped.
    func release() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.available += 1
            return nil
        }
        waiter?.resume()
    }
}
