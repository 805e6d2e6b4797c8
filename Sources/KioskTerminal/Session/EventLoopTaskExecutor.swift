import NIOCore

/// A task executor that runs jobs on one NIO event loop.
///
/// A terminal's session runs with its device channel's event loop as the preferred
/// executor: the bytes a keystroke brings are read, handed to the session, decoded, drawn
/// and written back on one thread, instead of hopping from the loop to the global pool
/// and back for every key (measured: the hops cost more than drawing the frame). Work
/// that belongs elsewhere still goes there: actors with executors of their own, the
/// database's queue.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
