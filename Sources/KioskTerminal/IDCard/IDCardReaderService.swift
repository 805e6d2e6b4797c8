import Foundation
import KioskCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// One terminal's resident ID card reader (`[[terminal]] id_reader`) on a serial line:
/// polls it with `IDCardReaderMachine` and hands each card read to the terminal's session
/// through the hub. The reader's device is opened in raw mode with the line settings given
/// and reopened with backoff when it fails or disappears (a USB adapter replugged). The
/// card's data is never logged; the photo is never kept.
public struct IDCardReaderService: Service {
    public struct Configuration: Sendable, Hashable {
        public var terminal: String
        public var devicePath: String
        public var line: SerialLine
        public var machine: IDCardReaderMachine.Configuration

        public init(terminal: String, devicePath: String, line: SerialLine, machine: IDCardReaderMachine.Configuration = .init()) {
            self.terminal = terminal
            self.devicePath = devicePath
            self.line = line
            self.machine = machine
        }
    }

    let configuration: Configuration
    let hub: IdentityCardHub
    let time: TimeEnvironment
    let logger: Logger
    let eventLoopGroup: any EventLoopGroup

    public init(
        configuration: Configuration, hub: IdentityCardHub, time: TimeEnvironment, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.hub = hub
        self.time = time
        var logger = logger
        logger[metadataKey: "idReader"] = .string(configuration.devicePath)
        logger[metadataKey: "terminal"] = .string(configuration.terminal)
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
    }

    /// What wakes the polling loop.
    enum Wakeup: Sendable {
        case bytes(ByteBuffer)
        case deadline
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            var backoff = Duration.seconds(1)
            while !Task.isCancelled {
                do {
                    try await drive()
                    backoff = .seconds(1)
                } catch {
                    logger.warning("ID card reader not usable; retrying", metadata: ["error": "\(error)", "retryIn": "\(backoff)", "event": .string(LogMessageKind.idReaderFailure.rawValue)])
                }
                do {
                    try await time.sleep(for: backoff)
                } catch {
                    return
                }
                backoff = min(backoff * 2, .seconds(30))
            }
        }
    }

    /// Opens the reader and polls it until it closes or the task is cancelled.
    private func drive() async throws {
        let device = try TTYDevice.open(path: configuration.devicePath)
        try device.enterRawMode(line: configuration.line)
        defer { device.restore() }
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
        logger.info("ID card reader open")
        try await channel.executeThenClose { inbound, outbound in
            let (wakeups, wake) = AsyncStream.makeStream(of: Wakeup.self, bufferingPolicy: .bufferingOldest(256))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        for try await buffer in inbound { wake.yield(.bytes(buffer)) }
                    } catch {
                        // A read error (the adapter unplugged) ends this device like a close.
                    }
                    wake.finish()
                }
                defer { group.cancelAll() }
                try await poll(wakeups: wakeups, wake: wake, outbound: outbound)
            }
        }
        logger.notice("ID card reader closed")
    }

    private func poll(
        wakeups: AsyncStream<Wakeup>, wake: AsyncStream<Wakeup>.Continuation, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws {
        var machine = IDCardReaderMachine(configuration: configuration.machine, at: time.now)
        var decoder = IDCardResponseDecoder()
        var timer: Task<Void, Never>?
        defer { timer?.cancel() }
        var step = machine.start(at: time.now)
        var iterator = wakeups.makeAsyncIterator()
        while true {
            if let bytes = step.send {
                // A new command: what is left of an earlier answer is not its answer.
                decoder.reset()
                try await outbound.write(ByteBuffer(bytes: bytes))
            }
            for event in step.events { report(event) }
            timer?.cancel()
            timer = Task { [time, deadline = step.nextDeadline] in
                do {
                    try await time.sleep(until: deadline)
                    wake.yield(.deadline)
                } catch {}
            }
            guard let wakeup = await iterator.next() else { return }
            switch wakeup {
            case .deadline:
                step = machine.tick(at: time.now)
            case .bytes(let buffer):
                let results = decoder.feed(buffer.readableBytesView)
                step = IDCardReaderMachine.Step(send: nil, events: [], nextDeadline: step.nextDeadline)
                for result in results {
                    if case .failure(let error) = result { logger.debug("ID card reader frame dropped", metadata: ["error": "\(error)"]) }
                    let today = CalendarDate.of(time.wallNow, in: time.timeZone)
                    let next = machine.handle(result, at: time.now, today: today)
                    step = IDCardReaderMachine.Step(send: next.send, events: step.events + next.events, nextDeadline: next.nextDeadline)
                    // One answer per command: anything after it in this chunk is not the next one's.
                    if next.send != nil { break }
                }
            }
        }
    }

    private func report(_ event: IDCardReaderMachine.Event) {
        switch event {
        case .cardRead(let identity):
            // Never the card's data in the log: only that a card was read.
            logger.info("ID card read")
            hub.publish(identity, to: configuration.terminal)
        case .readerSilent:
            logger.warning("ID card reader does not answer", metadata: ["event": .string(LogMessageKind.idReaderFailure.rawValue)])
        case .readerAnswering:
            logger.notice("ID card reader answers again")
        }
    }
}
