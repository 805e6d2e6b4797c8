import KioskCore
import Metrics
import NIOCore

extension TerminalSession {
    /// A read this large (a paste, a flood) is followed by a turn for the other sessions.
    static let largeRead = 64

    /// At most this many bytes are read from a terminal at once, so a flood is taken in
    /// slices, each followed by a turn for the other sessions (`largeRead`).
    static let readSize = 128

    /// Reads handed to the session and not yet taken in: one being decoded and one waiting
    /// keep a typist's keys flowing; more only queues a flood on the event loop.
    static let readsAhead = 2

    /// At most this many keys go through the menu before the frame is drawn and the other
    /// sessions on the event loop get a turn: a slice of flood can hold 128 keys, each
    /// perhaps a search over the catalog. A burst a person or a scanner sends (an ID number
    /// is 18) still draws one frame.
    static let keysPerTurn = 32

    /// How many times a session that took a turn of flood lets the others on its event
    /// loop go first before its next one.
    static let turnsForOthers = 4

    /// The session's loop: feeds what wakes it to the session machine, carries out the
    /// machine's effects, and sleeps until the next input or the machine's next deadline.
    /// All state of the menu lives in the machine, owned by this task.
    func runMachine(
        device: TTYDevice, wakeups: AsyncStream<Wakeup>, wake: AsyncStream<Wakeup>.Continuation,
        readAhead: ReadAhead, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) async throws -> Outcome {
        let reported = device.windowSize()
        var machineConfiguration = configuration.machineConfiguration(timeZone: time.timeZone, reportsSize: reported != nil)
        // A device (re)opened after a reload starts with the idle timing in force now.
        if let timing = sources.idleTiming?() { machineConfiguration.idleTiming = timing }
        var watching: Int?
        if let sizeWatcher, reported != nil {
            // The shared watcher measures; the machine needs no size deadline of its own.
            machineConfiguration.sizeCheckInterval = nil
            watching = sizeWatcher.watch(device, size: reported) { size in wake.yield(.resized(size)) }
        }
        // Before the device is closed (the caller closes it after this returns).
        defer { if let watching { sizeWatcher?.unwatch(watching) } }
        var machine = SessionMachine(
            configuration: machineConfiguration,
            profile: configuration.profile, catalog: sources.catalog(), availability: sources.availability(),
            reportedSize: reported, at: time.moment
        )
        var runner = EffectRunner(session: self, device: device, outbound: outbound)
        var timer = DeadlineTimer(time: time, wake: wake)
        defer { timer.cancel() }

        // Resets and messages asked for before this device opened are not replayed; a lock
        // is (the machine starts unlocked).
        var seen = registry.requests(for: configuration.name)
        var step = machine.start(at: time.moment)
        step = handle(requestEvents(machine, seen: &seen), on: &machine, after: step)
        var iterator = wakeups.makeAsyncIterator()
        // Keystroke to frame: from the bytes' arrival to the frame they caused being written.
        let latency = Metrics.Timer(label: "kioskd_keystroke_to_frame_seconds")
        var inputAt: MonotonicInstant?
        // After a large read, the session lets the other sessions on its event loop run
        // before it takes the next: a terminal flooded with bytes must not hold up the
        // keystrokes of the others that share its thread.
        var yieldBeforeNext = false
        // Keys of a large read still to go through the menu, `keysPerTurn` at a time.
        var laterKeys: ArraySlice<TerminalInput> = []
        while true {
            guard let deadline = try await runner.carryOut(step, on: &machine) else { return .quit }
            if let started = inputAt, laterKeys.isEmpty {
                latency.recordInterval(since: started, now: time.now)
                inputAt = nil
            }
            if let deadline { timer.arm(for: deadline) } else { timer.cancel() }
            if yieldBeforeNext {
                yieldBeforeNext = false
                // Several turns: another terminal's keystroke takes a few hops on the loop
                // (its read, its session), each of which would otherwise wait behind one
                // more turn of this flood.
                for _ in 0..<Self.turnsForOthers { await Task.yield() }
            }
            if !laterKeys.isEmpty {
                yieldBeforeNext = true
                let turn = Self.nextTurn(of: &laterKeys, decoderPending: runner.decoder.hasPending)
                step = handle([turn] + requestEvents(machine, seen: &seen), on: &machine, after: nil)
                continue
            }
            guard let wakeup = await iterator.next() else { return .deviceClosed }
            timer.noteWakeup(deadlineFired: wakeup.isDeadline)
            var events: [SessionEvent] = []
            switch wakeup {
            case .bytes(let buffer):
                inputAt = time.now
                yieldBeforeNext = buffer.readableBytes >= Self.largeRead
                let inputs = runner.decoder.feed(buffer.readableBytesView)
                readAhead.release()
                laterKeys = inputs[...]
                events.append(Self.nextTurn(of: &laterKeys, decoderPending: runner.decoder.hasPending))
                if !laterKeys.isEmpty { yieldBeforeNext = true }
            case .deadline:
                events.append(.deadline)
            case .sourcesChanged:
                events.append(.sourcesChanged(catalog: sources.catalog(), availability: sources.availability()))
                if let timing = sources.idleTiming?() { events.append(.idleTimingChanged(timing)) }
            case .resized(let size):
                events.append(.measured(size))
            case .identity(let identity):
                events.append(.identityRead(identity))
            case .requests:
                break
            }
            events += requestEvents(machine, seen: &seen)
            // A wakeup with nothing new still asks the machine for its next deadline.
            if events.isEmpty { events = [.deadline] }
            step = handle(events, on: &machine, after: nil)
        }
    }

    /// The next `keysPerTurn` of `keys`, taken off them, as the machine's input event: the
    /// decoder's pending escape counts only with the last turn.
    private static func nextTurn(of keys: inout ArraySlice<TerminalInput>, decoderPending: Bool) -> SessionEvent {
        let turn = keys.prefix(keysPerTurn)
        keys = keys.dropFirst(turn.count)
        return .input(Array(turn), decoderPending: keys.isEmpty && decoderPending)
    }

    /// What technicians asked that the machine has not applied yet: a reset for new reset
    /// requests (one is enough), the lock or unlock that makes the machine match, and a new
    /// message for the notice line. `seen` holds the counts already applied.
    private func requestEvents(_ machine: SessionMachine, seen: inout TerminalRegistry.Requests) -> [SessionEvent] {
        let requests = registry.requests(for: configuration.name)
        var events: [SessionEvent] = []
        if requests.resets != seen.resets {
            seen.resets = requests.resets
            events.append(.reset)
        }
        if let broadcast = requests.broadcast, broadcast.number != seen.broadcast?.number {
            seen.broadcast = broadcast
            events.append(.broadcast(broadcast.text, duration: .seconds(broadcast.seconds)))
        }
        switch (requests.lock, machine.menu.screen) {
        case (let lock?, .locked(let shown)):
            if lock.message != shown { events.append(.lock(message: lock.message)) }
        case (let lock?, _):
            events.append(.lock(message: lock.message))
        case (nil, .locked):
            events.append(.unlock)
        case (nil, _):
            break
        }
        return events
    }

    /// Applies `events` in order; one step with all their effects, after those of `first`,
    /// and the last step's deadline (or `first`'s when there are no events).
    private func handle(_ events: [SessionEvent], on machine: inout SessionMachine, after first: SessionStep?) -> SessionStep {
        var step = first ?? SessionStep(effects: [], nextDeadline: nil)
        for event in events {
            let next = machine.handle(event, at: time.moment)
            step = SessionStep(effects: step.effects + next.effects, nextDeadline: next.nextDeadline)
        }
        return step
    }
}

extension Metrics.Timer {
    /// Records the time from `start` to `now` on the monotonic line.
    func recordInterval(since start: MonotonicInstant, now: MonotonicInstant) {
        let elapsed = start.duration(to: now)
        recordNanoseconds(Int64(elapsed.components.seconds) * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}

extension TerminalSession.Wakeup {
    var isDeadline: Bool {
        if case .deadline = self { return true }
        return false
    }
}

/// One sleeping task that wakes the session's loop at the machine's deadline.
///
/// A later deadline does not re-arm it (the idle deadline moves with every key): when the
/// earlier one fires, the machine answers with the later one and the timer is armed for it.
/// An earlier deadline (the Escape timeout) replaces the sleeping task.
struct DeadlineTimer {
    let time: TimeEnvironment
    let wake: AsyncStream<TerminalSession.Wakeup>.Continuation
    private var armed: MonotonicInstant?
    private var task: Task<Void, Never>?

    init(time: TimeEnvironment, wake: AsyncStream<TerminalSession.Wakeup>.Continuation) {
        self.time = time
        self.wake = wake
    }

    mutating func arm(for deadline: MonotonicInstant) {
        if let armed, armed <= deadline { return }
        task?.cancel()
        armed = deadline
        task = Task { [time, wake] in
            do {
                try await time.sleep(until: deadline)
                wake.yield(.deadline)
            } catch {
                // Cancelled: an earlier deadline replaced this one, or the session ended.
            }
        }
    }

    /// After any wakeup: a deadline that has passed is spent (even if its own wakeup was
    /// lost to a full input buffer), so the next `arm` starts a new sleep.
    mutating func noteWakeup(deadlineFired: Bool) {
        if let armed, deadlineFired || time.now >= armed {
            self.armed = nil
            task = nil
        }
    }

    mutating func cancel() {
        task?.cancel()
        task = nil
        armed = nil
    }
}
