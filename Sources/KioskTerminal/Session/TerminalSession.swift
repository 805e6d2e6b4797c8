import Foundation
import KioskCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Drives one terminal for the life of the daemon: opens the device, puts it in raw mode,
/// decodes what is typed, runs the menu and draws it.
///
/// A session is isolated: every fault of its device (open failure, hang-up, read error) is
/// caught here, recorded in the registry, and followed by a reopen with exponential
/// backoff, so one terminal can never stop another or the daemon. The device's original
/// settings are restored on every way out.
public final class TerminalSession: Service, Sendable {
    public let configuration: TerminalSessionConfiguration
    let view: MenuView
    let sources: MenuSources
    let registry: TerminalRegistry
    let ports: SessionPorts
    let time: TimeEnvironment
    /// Measures the terminal's size for the session (shared by all sessions); without it the
    /// session measures its own size on a deadline.
    let sizeWatcher: WindowSizeWatcher?
    private let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    public init(
        configuration: TerminalSessionConfiguration, view: MenuView, sources: MenuSources, registry: TerminalRegistry,
        ports: SessionPorts, time: TimeEnvironment, sizeWatcher: WindowSizeWatcher? = nil,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) {
        self.configuration = configuration
        self.view = view
        self.sources = sources
        self.registry = registry
        self.ports = ports
        self.time = time
        self.sizeWatcher = sizeWatcher
        self.eventLoopGroup = eventLoopGroup
        var logger = logger
        logger[metadataKey: "terminal"] = .string(configuration.name)
        self.logger = logger
    }

    /// Runs until the daemon shuts down (or, in demo mode, until Ctrl-C).
    public func run() async throws {
        registry.register(
            TerminalStatus(name: configuration.name, profile: configuration.profile, device: configuration.devicePath)
        )
        await cancelWhenGracefulShutdown {
            var delay = self.configuration.reopenDelay.initial
            while !Task.isCancelled {
                do {
                    let outcome = try await self.driveDevice()
                    // An attached tty is driven once: when it closes it goes back to its owner.
                    if outcome == .quit || Task.isCancelled || self.configuration.attachedDescriptor != nil { return }
                    delay = self.configuration.reopenDelay.initial
                    self.logger.notice("terminal closed; reopening")
                } catch is CancellationError {
                    return
                } catch {
                    if self.configuration.attachedDescriptor != nil {
                        self.registry.update(self.configuration.name) { $0.state = .failed }
                        return
                    }
                    let message = String(describing: error)
                    self.logger.warning("terminal fault; reopening", metadata: ["error": .string(message), "event": .string(LogMessageKind.terminalFailure.rawValue)])
                    self.registry.update(self.configuration.name) {
                        $0.state = .failed
                        $0.errors += 1
                        $0.lastError = message
                    }
                }
                do {
                    try await self.time.sleep(for: delay)
                } catch {
                    return
                }
                delay = min(delay * 2, self.configuration.reopenDelay.maximum)
            }
        }
        registry.update(configuration.name) { $0.state = .closed }
    }

    enum Outcome { case deviceClosed, quit }

    /// Wakeups waiting for the menu at most; beyond it they are dropped.
    static var eventBacklog: Int { 64 }

    /// What wakes the session's loop.
    enum Wakeup: Sendable {
        case bytes(ByteBuffer)
        /// The deadline the machine asked for has come.
        case deadline
        /// The catalog or the availability changed.
        case sourcesChanged
        /// The size watcher measured a new size.
        case resized(TerminalSize?)
        /// The terminal's ID card reader read a card.
        case identity(CardIdentity)
        /// A technician asked something of the terminal (reset, lock, unlock): the
        /// registry holds what.
        case requests
    }

    /// Opens the device and runs the menu on it until the device closes or the task is
    /// cancelled; the device is restored and closed afterwards, whatever happened.
    private func driveDevice() async throws -> Outcome {
        let device = try configuration.attachedDescriptor.map { descriptor throws(TerminalError) in
            try TTYDevice.adopt(descriptor: descriptor, path: configuration.devicePath)
        } ?? TTYDevice.open(path: configuration.devicePath)
        try device.enterRawMode(line: configuration.serialLine)
        defer {
            device.writeAll(TerminalModes.leave)
            device.restore()
        }
        let descriptor = try device.duplicateDescriptor()
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await NIOPipeBootstrap(group: eventLoopGroup)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: Self.readSize))
                .takingOwnershipOfDescriptor(inputOutput: descriptor) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            close(descriptor)
            throw error
        }
        let name = configuration.name
        registry.update(name) {
            $0.state = .open
            $0.lastError = nil
        }
        logger.info("terminal open", metadata: ["device": .string(configuration.devicePath)])
        return try await withTaskExecutorPreference(EventLoopTaskExecutor(channel.channel.eventLoop)) {
            try await run(channel: channel, name: name, device: device)
        }
    }

    /// Pumps the channel's bytes into the session machine until the device closes.
    private func run(channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, name: String, device: TTYDevice) async throws -> Outcome {
        try await channel.executeThenClose { inbound, outbound in
            // Bounded: the device's bytes are held back by `ReadAhead` below, so at most two
            // of its slots hold bytes and the rest is room for deadlines, changes and requests.
            let (events, continuation) = AsyncStream.makeStream(
                of: Wakeup.self, bufferingPolicy: .bufferingOldest(Self.eventBacklog)
            )
            // Subscribed before the machine reads the sources, so no change falls in between.
            let changes = self.sources.changes.changes()
            return try await withThrowingTaskGroup(of: Void.self) { group in
                // The reader stays at most `readsAhead` reads ahead of the machine: a flood
                // waits in the line, not on the event loop the other terminals share.
                let readAhead = ReadAhead(limit: Self.readsAhead)
                group.addTask {
                    do {
                        for try await buffer in inbound {
                            self.registry.noteInput(name, bytes: Int64(buffer.readableBytes), at: self.time.wallNow)
                            await readAhead.acquire()
                            if Task.isCancelled { break }
                            switch continuation.yield(.bytes(buffer)) {
                            case .enqueued: continue
                            case .dropped: readAhead.release()
                            case .terminated: return
                            @unknown default: continue
                            }
                        }
                    } catch {
                        // A read error (EIO after a hang-up) ends this device like a close.
                    }
                    // Finishing (not yielding) cannot be lost to a full buffer.
                    continuation.finish()
                }
                group.addTask {
                    for await _ in changes { continuation.yield(.sourcesChanged) }
                }
                if let cards = self.ports.identity?.cards(for: name) {
                    group.addTask {
                        for await identity in cards { continuation.yield(.identity(identity)) }
                    }
                }
                // A request that finds the buffer full is not lost: the registry keeps it
                // and the session compares after every wakeup.
                self.registry.setWake(name) { continuation.yield(.requests) }
                defer {
                    self.registry.setWake(name, nil)
                    group.cancelAll()
                }
                return try await self.runMachine(
                    device: device, wakeups: events, wake: continuation, readAhead: readAhead, outbound: outbound
                )
            }
        }
    }
}
