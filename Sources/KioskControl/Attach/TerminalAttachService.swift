#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore
import Logging
import ServiceLifecycle
import Synchronization

/// The terminal socket: `kioskctl attach` hands kioskd a tty (SCM_RIGHTS) and waits;
/// kioskd drives it like a configured terminal until the client goes away, the tty
/// closes, or the daemon stops, and hands it back in the state it came in.
///
/// Accepting and the handshake are blocking socket calls, so they run on a thread of
/// their own; each attached tty then runs as the service `makeSession` returns (a terminal
/// session, built by the composition root) in this service's task group, where the
/// daemon's graceful shutdown reaches it.
public final class TerminalAttachService: Service, Sendable {
    /// Makes the session that drives an attached tty: the request (its name sanitized), the
    /// profile, and the descriptor, which the session must not close.
    public typealias SessionMaker = @Sendable (AttachRequest, TerminalProfile, Int32) -> any Service

    private let socketPath: String
    private let listener: Int32
    private let policy: AccessPolicy
    private let onDetached: @Sendable (String) -> Void
    private let configuredNames: Set<String>
    private let makeSession: SessionMaker
    private let logger: Logger
    /// The names of the ttys attached now.
    private let attached = Mutex(Set<String>())

    /// Binds the socket now, so it exists before READY.
    /// `onDetached` is told the name of each tty given back.
    public init(
        socketPath: String, policy: AccessPolicy, configuredNames: Set<String>, logger: Logger,
        onDetached: @escaping @Sendable (String) -> Void, makeSession: @escaping SessionMaker
    ) throws {
        unlink(socketPath)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0, let address = UnixSocketAddress(path: socketPath) else {
            throw AttachSocketError(description: "cannot create the terminal socket \(socketPath)")
        }
        let bound = address.withSockaddr { bind(fd, $0, $1) }
        guard bound == 0, listen(fd, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw AttachSocketError(description: "cannot bind the terminal socket \(socketPath): \(reason)")
        }
        // Anyone may connect; who may attach is decided from SO_PEERCRED.
        chmod(socketPath, 0o666)
        self.socketPath = socketPath
        self.listener = fd
        self.policy = policy
        self.onDetached = onDetached
        self.configuredNames = configuredNames
        self.logger = logger
        self.makeSession = makeSession
    }

    private struct Accepted: Sendable {
        let connection: Int32
        let request: AttachRequest?
        let descriptor: Int32?
        let peer: PeerCredentials
    }

    public func run() async throws {
        let (connections, continuation) = AsyncStream.makeStream(of: Accepted.self)
        let stopping = Arc(Mutex(false))
        let listener = self.listener
        let thread = Thread {
            Self.acceptLoop(listener: listener, stopping: stopping.value, continuation: continuation)
        }
        thread.name = "kioskd-attach"
        thread.start()
        await withDiscardingTaskGroup { group in
            group.addTask {
                try? await gracefulShutdown()
                stopping.value.withLock { $0 = true }
            }
            for await accepted in connections {
                group.addTask { await self.serve(accepted) }
            }
            // The accept loop ends once stopping is set: then the sessions finish their
            // own graceful shutdown inside this group.
        }
        close(listener)
        unlink(socketPath)
    }

    /// At most this many clients may be between connecting and sending their request;
    /// one more is closed at once. Each has 5 s.
    static let maximumHandshakes = 32

    /// Accepts connections and starts a handshake thread for each, so a client that connects
    /// and says nothing delays nobody else: five idle clients once held an attach for 25 s.
    private static func acceptLoop(listener: Int32, stopping: borrowing Mutex<Bool>, continuation: AsyncStream<Accepted>.Continuation) {
        defer { continuation.finish() }
        let handshakes = Arc(Mutex(0))
        while !stopping.withLock({ $0 }) {
            var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 200) > 0 else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            let admitted = handshakes.value.withLock { count -> Bool in
                guard count < maximumHandshakes else { return false }
                count += 1
                return true
            }
            guard admitted else {
                close(connection)
                continue
            }
            let thread = Thread {
                defer { handshakes.value.withLock { $0 -= 1 } }
                handshake(connection, continuation: continuation)
            }
            thread.name = "kioskd-attach-handshake"
            thread.start()
        }
    }

    /// Reads the client's request and tty (the kernel's receive timeout bounds the wait) and
    /// hands them on; after the service stopped, closes both instead.
    private static func handshake(_ connection: Int32, continuation: AsyncStream<Accepted>.Continuation) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let peer = PeerCredentials.of(socket: connection)
        let message = try? DescriptorPassing.receive(from: connection)
        let line: [UInt8] = message.map { received in Array(received.payload.prefix { $0 != 0x0A }) } ?? []
        let request = try? JSONDecoder().decode(AttachRequest.self, from: Data(line))
        let accepted = Accepted(connection: connection, request: request, descriptor: message?.descriptor, peer: peer)
        if case .terminated = continuation.yield(accepted) {
            if let descriptor = accepted.descriptor { close(descriptor) }
            close(connection)
        }
    }

    private func serve(_ accepted: Accepted) async {
        let connection = accepted.connection
        defer {
            if let descriptor = accepted.descriptor { close(descriptor) }
            close(connection)
        }
        guard let request = accepted.request, let descriptor = accepted.descriptor else {
            reply(AttachReply(attached: false, reason: "expected a request with a tty descriptor"), to: connection)
            return
        }
        guard policy.level(for: accepted.peer) >= .change else {
            reply(AttachReply(attached: false, reason: "permission denied"), to: connection)
            return
        }
        guard let profile = TerminalProfile(rawValue: request.profile) else {
            reply(AttachReply(attached: false, reason: "unknown profile \(request.profile)"), to: connection)
            return
        }
        let name = UntrustedText(request.terminal).sanitized
        guard !name.isEmpty, name.count <= 40, isatty(descriptor) == 1 else {
            reply(AttachReply(attached: false, reason: "need a terminal name and a tty"), to: connection)
            return
        }
        let claimed = attached.withLock { names in
            guard !configuredNames.contains(name), !names.contains(name) else { return false }
            names.insert(name)
            return true
        }
        guard claimed else {
            reply(AttachReply(attached: false, reason: "a terminal named \(name) is already driven"), to: connection)
            return
        }
        defer { _ = attached.withLock { $0.remove(name) } }
        var timeout = timeval(tv_sec: 0, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        logger.notice("terminal attached", metadata: ["terminal": .string(name), "peer": .string(accepted.peer.description)])
        reply(AttachReply(attached: true), to: connection)

        var named = request
        named.terminal = name
        let session = makeSession(named, profile, descriptor)
        enum End { case session, client }
        let end = await withTaskGroup(of: End.self) { group in
            group.addTask {
                try? await session.run()
                return .session
            }
            group.addTask {
                await Self.waitUntilClosed(connection)
                return .client
            }
            let first = await group.next() ?? .session
            if first == .session {
                // Unblocks the reader so the group can finish.
                shutdown(connection, Int32(SHUT_RD))
            }
            group.cancelAll()
            return first
        }
        let reason = end == .client ? "client-closed" : "session-ended"
        logger.notice("terminal detached", metadata: ["terminal": .string(name), "reason": .string(reason)])
        onDetached(name)
        reply(AttachReply(attached: false, reason: reason, detached: true), to: connection)
    }

    /// Returns when the client closes its end (or the read side is shut down).
    private static func waitUntilClosed(_ connection: Int32) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                var byte: UInt8 = 0
                while true {
                    let count = read(connection, &byte, 1)
                    if count == 0 || (count < 0 && errno != EINTR) { break }
                }
                done.resume()
            }
            thread.start()
        }
    }

    private func reply(_ reply: AttachReply, to connection: Int32) {
        let bytes = reply.line()
        _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }
}

/// A reference box, for handing a `Mutex` (not copyable) to a thread.
private final class Arc<Value: ~Copyable & Sendable>: Sendable {
    let value: Value
    init(_ value: consuming Value) { self.value = value }
}

/// The terminal socket could not be set up.
public struct AttachSocketError: Error, CustomStringConvertible {
    public let description: String
}
