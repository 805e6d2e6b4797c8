import KioskCore
import ServiceLifecycle
import Synchronization

/// Measures the window size of every driven terminal once a second, in one task for the
/// whole daemon, and tells a session only when its size changed.
///
/// The kernel tells a resize only to a tty's controlling process, which kioskd is not for
/// the terminals it drives, so sizes must be measured. One shared measurement costs one
/// wake-up a second for all terminals together (64 ioctls); a deadline per session would
/// wake every terminal every second.
public final class WindowSizeWatcher: Service, Sendable {
    private struct Watched {
        let device: TTYDevice
        var size: TerminalSize?
        let onResize: @Sendable (TerminalSize?) -> Void
    }

    private struct State {
        var nextID = 0
        var watched: [Int: Watched] = [:]
    }

    private let state = Mutex(State())
    private let time: TimeEnvironment
    private let interval: Duration

    public init(time: TimeEnvironment, interval: Duration = .seconds(1)) {
        self.time = time
        self.interval = interval
    }

    /// Watches `device`, whose size is `size` now; `onResize` is called with each new size.
    /// Returns the token for `unwatch`, which must come before the device is closed.
    public func watch(_ device: TTYDevice, size: TerminalSize?, onResize: @escaping @Sendable (TerminalSize?) -> Void) -> Int {
        state.withLock { state in
            state.nextID += 1
            state.watched[state.nextID] = Watched(device: device, size: size, onResize: onResize)
            return state.nextID
        }
    }

    /// Afterwards the device is not measured again.
    public func unwatch(_ token: Int) {
        _ = state.withLock { $0.watched.removeValue(forKey: token) }
    }

    /// Measures every watched device now; calls back those whose size changed.
    public func measure() {
        // Measured under the lock, so no device is closed (after `unwatch`) while it is read.
        let changed = state.withLock { state -> [(@Sendable (TerminalSize?) -> Void, TerminalSize?)] in
            var changed: [(@Sendable (TerminalSize?) -> Void, TerminalSize?)] = []
            for (token, watched) in state.watched {
                let size = watched.device.windowSize()
                if size != watched.size {
                    state.watched[token]?.size = size
                    changed.append((watched.onResize, size))
                }
            }
            return changed
        }
        for (onResize, size) in changed { onResize(size) }
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await self.time.sleep(for: self.interval)
                self.measure()
            }
        }
    }
}
