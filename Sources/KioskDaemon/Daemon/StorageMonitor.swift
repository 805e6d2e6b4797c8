#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import KioskCore
import Logging
import ServiceLifecycle
import Synchronization

/// Watches the room left on the state directory's filesystem, so acknowledged work always
/// fits: below `[daemon] min_free_mb` the terminals stop taking applications, payments and
/// ratings (`low`); with less than `fullBelow` left, or after a write failed for lack of
/// space, they show 暂停服务 (`full`). It checks every `interval` on the injected clock and
/// at once after a failed write, and everything resumes by itself when space returns.
final class StorageMonitor: Service, Sendable {
    let path: String
    let minimumFree: Int64
    let interval: Duration
    let time: TimeEnvironment
    let logger: Logger
    let onChange: @Sendable () -> Void
    /// Below this the kiosk is out of service, whatever `min_free_mb` says.
    static let fullBelow: Int64 = 1 << 20

    private let current = Mutex<(state: StorageState, freeBytes: Int64?, writeFailed: Bool)>((.ok, nil, false))
    /// The reserve released to start on a full disk; made again once there is room.
    let ballast: StorageBallast

    /// With `startedFull`, the kiosk starts out of service (the disk was full at start).
    init(
        path: String, minimumFreeMB: Int, interval: Duration = .seconds(5), startedFull: Bool = false, time: TimeEnvironment,
        logger: Logger, onChange: @escaping @Sendable () -> Void
    ) {
        self.path = path
        ballast = StorageBallast(stateDirectory: path)
        if startedFull { current.withLock { $0.writeFailed = true } }
        minimumFree = Int64(minimumFreeMB) << 20
        self.interval = interval
        self.time = time
        self.logger = logger
        self.onChange = onChange
        check()
    }

    /// The state as last checked: read on every terminal frame, so a lock, no hop.
    var state: StorageState { current.withLock { $0.state } }
    /// Free bytes at the last check; nil when the filesystem could not be asked.
    var freeBytes: Int64? { current.withLock { $0.freeBytes } }

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await self.time.sleep(for: self.interval)
                self.check()
            }
        }
    }

    /// A write failed because the disk is full (SQLITE_FULL, ENOSPC): out of service now;
    /// the next check that finds room again clears it.
    func noteWriteFailed() {
        current.withLock { $0.writeFailed = true }
        check()
    }

    /// Asks the filesystem how much is free and updates the state.
    func check() {
        var stats = statvfs()
        let free: Int64? = statvfs(path, &stats) == 0 ? Int64(stats.f_bavail) * Int64(stats.f_frsize) : nil
        let (before, after) = current.withLock { value -> (StorageState, StorageState) in
            let before = value.state
            var state = StorageState.ok
            if let free {
                // Room again after a failed write: clear it once there is more than the margin
                // (and room for the reserve), so a start on the reserve stays out of service.
                if value.writeFailed, free >= max(minimumFree, Self.fullBelow) + StorageBallast.size { value.writeFailed = false }
                if free < Self.fullBelow || value.writeFailed {
                    state = .full
                } else if free < minimumFree {
                    state = .low
                }
            } else if value.writeFailed {
                state = .full
            }
            value.state = state
            value.freeBytes = free
            return (before, state)
        }
        if after == .ok, let free { ballast.ensure(freeBytes: free, keepFree: minimumFree) }
        guard before != after else { return }
        var metadata: Logger.Metadata = ["freeMB": "\((free ?? 0) >> 20)", "minFreeMB": "\(minimumFree >> 20)"]
        switch after {
        case .full:
            metadata[LogMessageKind.metadataKey] = .string(LogMessageKind.storageFull.rawValue)
            logger.critical("storage full: terminals out of service until space returns", metadata: metadata)
        case .low:
            metadata[LogMessageKind.metadataKey] = .string(LogMessageKind.storageLow.rawValue)
            logger.warning("storage low: no new applications, payments or ratings until space returns", metadata: metadata)
        case .ok: logger.notice("storage ok again: terminals take work again", metadata: metadata)
        }
        onChange()
    }
}
