import Foundation

/// One thread of its own on which every libcups call runs, one at a time.
///
/// libcups blocks (it waits on sockets) and keeps per-thread globals (the server set with
/// `cupsSetServer`, the last error): running it on Swift's cooperative pool would hold
/// one of its two threads on this machine, and a serial DispatchQueue could move it
/// between threads. A dedicated thread gives both: the pool is never blocked, and the
/// globals stay put.
final class CUPSWorker: @unchecked Sendable {
    // @unchecked: `queue` and `stopped` are only touched with `condition` locked; the
    // closures run on the worker thread alone.
    private let condition = NSCondition()
    private var queue: [() -> Void] = []
    private var stopped = false

    /// Starts the thread; `setup` runs on it before any other work.
    init(name: String, setup: @escaping @Sendable () -> Void = {}) {
        let thread = Thread { [self] in
            setup()
            loop()
        }
        thread.name = name
        thread.start()
    }

    /// Runs `work` on the worker thread and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            enqueue { continuation.resume(returning: work()) }
        }
    }

    /// Afterwards the thread ends once the work already queued is done; later work runs
    /// on no thread and is never answered, so call this only when nothing calls `run`.
    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func enqueue(_ work: @escaping () -> Void) {
        condition.lock()
        queue.append(work)
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopped { condition.wait() }
            if queue.isEmpty && stopped {
                condition.unlock()
                return
            }
            let work = queue.removeFirst()
            condition.unlock()
            work()
        }
    }
}
