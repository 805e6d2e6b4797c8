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
public final class TerminalSession<SessionClock: Clock>: Service, Sendable where SessionClock.Duration == Duration {
    public let configuration: TerminalSessionConfiguration
    private let view: MenuView
    private let sources: MenuSources
    private let registry: TerminalRegistry
    private let ports: SessionPorts
    private let clock: SessionClock
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    public init(
        configuration: TerminalSessionConfiguration, view: MenuView, sources: MenuSources, registry: TerminalRegistry,
        ports: SessionPorts, clock: SessionClock,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, logger: Logger
    ) {
        self.configuration = configuration
        self.view = view
        self.sources = sources
        self.registry = registry
        self.ports = ports
        self.clock = clock
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
                    self.logger.warning("terminal fault; reopening", metadata: ["error": .string(message)])
                    self.registry.update(self.configuration.name) {
                        $0.state = .failed
                        $0.errors += 1
                        $0.lastError = message
                    }
                }
                do {
                    try await self.clock.sleep(for: delay)
                } catch {
                    return
                }
                delay = min(delay * 2, self.configuration.reopenDelay.maximum)
            }
        }
        registry.update(configuration.name) { $0.state = .closed }
    }

    enum Outcome { case deviceClosed, quit }

    /// Reads and ticks waiting for the menu at most; beyond it input is dropped.
    static var eventBacklog: Int { 64 }

    private enum SessionEvent: Sendable {
        case bytes(ByteBuffer)
        case tick
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
        return try await channel.executeThenClose { inbound, outbound in
            // Bounded: a terminal flooded faster than its menu can follow loses the excess
            // input instead of growing the daemon's memory; it never slows the others.
            let (events, continuation) = AsyncStream.makeStream(
                of: SessionEvent.self, bufferingPolicy: .bufferingOldest(Self.eventBacklog)
            )
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await buffer in inbound {
                            let count = Int64(buffer.readableBytes)
                            self.registry.update(name) { $0.bytesIn += count }
                            continuation.yield(.bytes(buffer))
                        }
                    } catch {
                        // A read error (EIO after a hang-up) ends this device like a close.
                    }
                    // Finishing (not yielding) cannot be lost to a full buffer.
                    continuation.finish()
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await self.clock.sleep(for: self.configuration.tickInterval)
                        continuation.yield(.tick)
                    }
                }
                defer { group.cancelAll() }
                return try await self.runMenu(device: device, events: events, outbound: outbound)
            }
        }
    }

    /// The session's main loop: all state of the menu lives here, owned by this task.
    private func runMenu(
        device: TTYDevice, events: AsyncStream<SessionEvent>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws -> Outcome {
        let name = configuration.name
        var state = MenuState(profile: configuration.profile)
        var decoder = KeyDecoder()
        var renderer = ScreenRenderer(options: configuration.renderOptions)
        // A terminal that reports no size (a serial line) is asked for it: the cursor is
        // sent to the far corner and its position reported back.
        var askedSize: TerminalSize?
        var awaitingSize = configuration.askSize && device.windowSize() == nil
        var size = currentSize(of: device, asked: askedSize)
        var escapeDeadline: SessionClock.Instant?
        var lastInput = clock.now
        var availability = sources.availability()

        // The hall's date, looked up once a minute rather than on every key or tick.
        var today = CalendarDate.of(Date(), in: configuration.timeZone)
        var todayCheckedAt = clock.now

        func context() -> MenuContext {
            MenuContext(
                catalog: sources.catalog(), availability: availability, size: size, today: today,
                doubleSizeLines: configuration.renderOptions.doubleSizeLines
            )
        }

        func draw(prefix: [UInt8] = []) async throws {
            let bytes = prefix + renderer.frame(view.render(state, context: context()))
            guard !bytes.isEmpty else { return }
            try await outbound.write(ByteBuffer(bytes: bytes))
            let screen = state.screen.statusName
            let drawn = size
            registry.update(name) {
                $0.bytesOut += Int64(bytes.count)
                $0.screen = screen
                $0.columns = drawn.columns
                $0.rows = drawn.rows
            }
        }

        /// Carries out the effects of a transition, and of the transitions that their
        /// results cause in turn; returns bytes to send before the frame.
        func perform(_ effects: [MenuEffect]) async -> [UInt8] {
            var prefix: [UInt8] = []
            var pending = effects[...]
            while let effect = pending.popFirst() {
                // What the effect's result tells the menu, if anything.
                let followUp: MenuEvent?
                switch effect {
                case .sessionStarted:
                    await ports.journal?.sessionStarted(terminal: name, at: Date())
                    followUp = nil
                case .sessionEnded(let reason):
                    followUp = nil
                    await ports.journal?.sessionEnded(terminal: name, reason: reason, at: Date())
                    // Nothing of the citizen may stay visible, not even in scrollback.
                    renderer.invalidate()
                    prefix = TerminalModes.wipe
                case .printGuide(let itemID):
                    // The guide as the catalog has it now; an item gone by a reload prints nothing.
                    let item = sources.catalog().item(id: itemID)
                    followUp = await print(item.map { Printable.serviceGuide($0, terminal: name) })
                case .printAcceptanceSlip(let slip):
                    followUp = await print(.acceptanceSlip(slip))
                case .reprint(let number):
                    if let printer = ports.printer {
                        followUp = .printed(await printer.reprint(number: number))
                    } else {
                        followUp = nil
                    }
                case .submitApplication(let draft):
                    try? await draw(prefix: prefix)
                    prefix = []
                    if let desk = ports.applications, let slip = try? await desk.submit(draft, terminal: name) {
                        followUp = .applicationSubmitted(slip)
                    } else {
                        logger.error("application not stored")
                        followUp = .applicationFailed
                    }
                case .rate(let level, let reason, let applicationNumber, let itemID):
                    let rating = Rating(
                        id: UUID(), level: level, reason: reason, applicationNumber: applicationNumber, itemID: itemID,
                        terminal: name, ratedAt: Date()
                    )
                    do {
                        try await ports.applications?.rate(rating)
                    } catch {
                        logger.error("rating not stored")
                    }
                    followUp = .ratingStored
                case .queryProgress(let query):
                    // "Please wait" goes out before the central service is asked.
                    try? await draw(prefix: prefix)
                    prefix = []
                    followUp = .progressAnswered(await ports.applications?.progress(of: query))
                case .lookupInsurance(let idNumber, let personName):
                    try? await draw(prefix: prefix)
                    prefix = []
                    let answer = await ports.applications?.insuranceSummary(idNumber: idNumber, name: personName)
                    followUp = .insuranceAnswered(answer ?? .unavailable)
                }
                if let followUp { pending.append(contentsOf: state.handle(followUp, context: context())) }
            }
            return prefix
        }

        try await draw(prefix: TerminalModes.enter + (awaitingSize ? TerminalModes.querySize : []))
        for await event in events {
            var inputs: [TerminalInput] = []
            switch event {
            case .bytes(let buffer):
                lastInput = clock.now
                inputs = decoder.feed(buffer.readableBytesView)
                escapeDeadline = decoder.hasPending ? clock.now.advanced(by: configuration.escapeTimeout) : nil
            case .tick:
                if todayCheckedAt.duration(to: clock.now) >= .seconds(60) {
                    today = CalendarDate.of(Date(), in: configuration.timeZone)
                    todayCheckedAt = clock.now
                }
                if let deadline = escapeDeadline, clock.now >= deadline {
                    inputs = decoder.flush()
                    escapeDeadline = nil
                }
                var changed = false
                let newSize = currentSize(of: device, asked: askedSize)
                if newSize != size {
                    size = newSize
                    renderer.invalidate()
                    changed = true
                }
                let nowAvailable = sources.availability()
                if nowAvailable != availability {
                    availability = nowAvailable
                    changed = true
                }
                if state.screen != .attract {
                    let factor = state.elderMode ? configuration.elderIdleFactor : 1
                    let timeout = configuration.idleTimeout * factor
                    let idle = lastInput.duration(to: clock.now)
                    if idle >= timeout {
                        let prefix = await perform(state.handle(.idleTimeout, context: context()))
                        try await draw(prefix: prefix)
                        continue
                    } else if idle >= timeout - configuration.idleWarning * factor {
                        let remaining = Int(((timeout - idle) / .seconds(1)).rounded(.up))
                        if state.idleWarning != remaining {
                            _ = state.handle(.idleCountdown(remaining: remaining), context: context())
                            changed = true
                        }
                    }
                }
                if changed, inputs.isEmpty { try await draw() }
            }
            guard !inputs.isEmpty else { continue }
            var prefix: [UInt8] = []
            for input in inputs {
                if case .report(.cursorPosition(let row, let column)) = input, awaitingSize {
                    awaitingSize = false
                    askedSize = TerminalSize(columns: column, rows: row)
                    size = currentSize(of: device, asked: askedSize)
                    renderer.invalidate()
                    continue
                }
                guard case .key(let key) = input else { continue }
                if configuration.quitOnInterrupt, key == .control(0x03) { return .quit }
                prefix += await perform(state.handle(.key(key), context: context()))
            }
            try await draw(prefix: prefix)
        }
        return .deviceClosed
    }

    /// Prints through the session's printer port and tells the menu what happened; nothing
    /// without a port (the services that print are gated off then).
    private func print(_ printable: Printable?) async -> MenuEvent? {
        guard let printable, let printer = ports.printer else { return nil }
        return .printed(await printer.print(printable))
    }

    private func currentSize(of device: TTYDevice, asked: TerminalSize?) -> TerminalSize {
        let reported = device.windowSize() ?? asked ?? configuration.fallbackSize
        return TerminalSize(
            columns: max(reported.columns, TerminalSize.minimum.columns),
            rows: max(reported.rows, TerminalSize.minimum.rows)
        )
    }
}
