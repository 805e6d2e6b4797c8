#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// A Varlink server on a Unix socket.
///
/// Each connection is served in its own child task that catches its own errors, so a
/// client sending garbage, an oversized frame, or disappearing mid-call only loses its own
/// connection. Calls on one connection are answered in order. Connections are admitted
/// within `ConnectionLimits`: one over a limit is closed at once and counted (not
/// audited: a flood of them must not grow the audit), and a connection idle for the
/// limits' `idleTimeout` is closed.
public final class VarlinkServer: Service, Sendable {
    /// Called after every call with the caller, the method and the outcome ("ok" or the
    /// error name): the daemon's audit trail.
    /// It runs on the connection's event loop for calls answered there: it must not block.
    public typealias CallObserver = @Sendable (PeerCredentials, String, String) -> Void

    public let socketPath: String
    /// The socket was passed in (systemd socket activation): its file belongs to whoever
    /// made it, and stays when the server stops.
    private let passedIn: Bool
    private let listener: NIOAsyncChannel<Connection, Never>
    private let dispatcher: VarlinkDispatcher
    private let counter: ConnectionCounter
    private let logger: Logger

    /// An accepted connection; `channel` is nil for one refused by the limits, which
    /// closes itself as soon as it is active.
    struct Connection: Sendable {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>?
        let peer: PeerCredentials
    }

    /// Binds the socket now (replacing a stale socket file) so that clients can connect as
    /// soon as this returns; connections are served once `run()` starts. With
    /// `listeningDescriptor` (a socket systemd bound and passed in), serves that socket
    /// instead and leaves its file alone; `socketPath` is then only its name in logs.
    public static func bind(
        socketPath: String, listeningDescriptor: Int32? = nil, info: VarlinkServiceInfo, interfaces: [any VarlinkInterface],
        maximumFrameLength: Int = 1 << 20, limits: ConnectionLimits = ConnectionLimits(), observer: CallObserver? = nil,
        logger: Logger, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> VarlinkServer {
        var all: [String: any VarlinkInterface] = [:]
        for interface in interfaces { all[interface.name] = interface }
        let names = interfaces
        all["org.varlink.service"] = VarlinkServiceInterface(info: info) {
            [VarlinkServiceInterface(info: info, interfaces: { [] })] + names
        }
        let dispatcher = VarlinkDispatcher(interfaces: all, observer: observer, logger: logger)
        let counter = ConnectionCounter(limits: limits)
        let initialize: @Sendable (any Channel) -> EventLoopFuture<Connection> = { channel in
            Self.peerCredentials(of: channel).flatMapThrowing { peer in
                if let refused = counter.admit(peer) {
                    // Logged at the 1st, 2nd, 4th, 8th… refusal: a flood costs a few lines.
                    let count = refused.refusedSoFar
                    if count & (count - 1) == 0 {
                        logger.warning("control connection refused", metadata: [
                            "peer": "\(peer)", "reason": "\(refused.refusal.rawValue)", "refused": "\(count)",
                        ])
                    }
                    try channel.pipeline.syncOperations.addHandler(CloseWhenActiveHandler())
                    return Connection(channel: nil, peer: peer)
                }
                channel.closeFuture.whenComplete { _ in counter.release(peer) }
                let idleTimeout = TimeAmount.nanoseconds(Int64(counter.limits.idleTimeout.timeInterval * 1e9))
                try channel.pipeline.syncOperations.addHandlers(
                    // No reading while replies wait to be taken (see ImmediateReplyHandler).
                    BackPressureHandler(),
                    ByteToMessageHandler(VarlinkFrameDecoder(maximumLength: maximumFrameLength)),
                    ImmediateReplyHandler(dispatcher: dispatcher, peer: peer, idleTimeout: idleTimeout)
                )
                let wrapped = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                return Connection(channel: wrapped, peer: peer)
            }
        }
        let bootstrap = ServerBootstrap(group: eventLoopGroup).serverChannelOption(.backlog, value: 256)
        let listener: NIOAsyncChannel<Connection, Never>
        if let listeningDescriptor {
            listener = try await bootstrap.bind(listeningDescriptor, childChannelInitializer: initialize)
        } else {
            listener = try await bootstrap.bind(
                unixDomainSocketPath: socketPath, cleanupExistingSocketFile: true, childChannelInitializer: initialize
            )
        }
        // Anyone may connect; what each caller may do is decided per call from SO_PEERCRED.
        // (A passed-in socket has the mode its unit gave it.)
        if listeningDescriptor == nil { chmod(socketPath, 0o666) }
        return VarlinkServer(
            socketPath: socketPath, passedIn: listeningDescriptor != nil, listener: listener, dispatcher: dispatcher, counter: counter,
            logger: logger
        )
    }

    private init(
        socketPath: String, passedIn: Bool, listener: NIOAsyncChannel<Connection, Never>, dispatcher: VarlinkDispatcher,
        counter: ConnectionCounter, logger: Logger
    ) {
        self.socketPath = socketPath
        self.passedIn = passedIn
        self.listener = listener
        self.dispatcher = dispatcher
        self.counter = counter
        self.logger = logger
    }

    /// Control connections open now.
    public var openConnections: Int { counter.openCount }

    /// The idle timeout and caps for connections from now on (a reload changed them);
    /// connections open already keep theirs.
    public var limits: ConnectionLimits {
        get { counter.limits }
        set { counter.limits = newValue }
    }

    /// Connections refused by the limits since the server started.
    public var refusedConnections: Int { counter.refusedCount }

    /// Serves connections until the daemon shuts down; then closes the listener and every
    /// connection and removes the socket file.
    public func run() async throws {
        defer { if !passedIn { unlink(socketPath) } }
        do {
            try await cancelWhenGracefulShutdown {
                try await self.listener.executeThenClose { connections in
                    try await withThrowingDiscardingTaskGroup { group in
                        for try await connection in connections {
                            guard let channel = connection.channel else { continue }
                            group.addTask { await self.serve(channel, peer: connection.peer) }
                        }
                    }
                }
            }
        } catch is CancellationError {
            // The way a shutdown ends the accept loop.
        }
    }

    /// Closes the listening socket without waiting for `run()` (for tests and for a
    /// `run()` that never started).
    public func close() async {
        try? await listener.channel.close()
        if !passedIn { unlink(socketPath) }
    }

    private func serve(_ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, peer: PeerCredentials) async {
        do {
            try await channel.executeThenClose { inbound, outbound in
                for try await frame in inbound {
                    guard let call = try? JSONDecoder().decode(VarlinkCall.self, from: Data(frame.readableBytesView)) else {
                        // Not a Varlink message: the protocol has no way to answer it.
                        logger.debug("malformed control message; closing connection", metadata: ["peer": "\(peer)"])
                        return
                    }
                    if let streamed = await dispatcher.stream(call, caller: peer) {
                        guard case .replies(let replies) = streamed else {
                            if case .refused(let reply) = streamed { try await outbound.write(ByteBuffer(bytes: try reply.frame())) }
                            continue
                        }
                        guard try await Self.forward(replies, to: outbound, until: channel.channel) else { return }
                        continue
                    }
                    let reply = await dispatcher.answer(call, caller: peer)
                    if call.oneway == true { continue }
                    try await outbound.write(ByteBuffer(bytes: try reply.frame()))
                }
            }
        } catch {
            logger.debug("control connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Writes each of `replies` as it comes. True when the stream ended with a reply that
    /// does not continue (the connection goes on serving calls); false when it ended
    /// without one, or the client closed the connection (the sequence is then dropped,
    /// which stops whatever produced it), and the connection is to be closed.
    private static func forward(
        _ replies: AsyncStream<VarlinkReply>, to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, until channel: any Channel
    ) async throws -> Bool {
        let (closed, closing) = AsyncStream<Void>.makeStream()
        channel.closeFuture.whenComplete { _ in closing.finish() }
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            // Ends when the client goes away, or when cancelled once the stream is over.
            group.addTask {
                for await _ in closed {}
                return false
            }
            group.addTask {
                var finished = false
                for await reply in replies {
                    try await outbound.write(ByteBuffer(bytes: try reply.frame()))
                    finished = reply.continues != true
                    if finished { break }
                }
                return finished
            }
            let keepOpen = try await group.next() ?? false
            group.cancelAll()
            if !keepOpen { channel.close(promise: nil) }
            return keepOpen
        }
    }

    private static func peerCredentials(of channel: any Channel) -> EventLoopFuture<PeerCredentials> {
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(.unknown)
        }
        let future: EventLoopFuture<KernelPeerCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(SO_PEERCRED)
        )
        return future.map { PeerCredentials(pid: $0.pid, uid: $0.uid, gid: $0.gid) }
            .recover { _ in .unknown }
    }
}


/// Closes a refused connection as soon as it can be closed: the client sees its
/// connection end without an answer, and nothing of it is read.
final class CloseWhenActiveHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { context.close(promise: nil) }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.close(promise: nil)
    }
}
