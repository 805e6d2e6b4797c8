import Foundation

/// Runs blocking work (a synchronous socket client, waiting for a process) on a thread of
/// its own, so that it never holds one of the few threads of Swift's cooperative pool (two
/// on a two-core machine) that the server under test needs in order to answer.
public func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}
