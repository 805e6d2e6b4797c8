/// Polls a resident ID card reader: find a card, select it, read it, and report each card
/// once while it lies on the reader. A pure state machine: it takes the reader's responses
/// and the passing of time, and returns the bytes to send, what happened, and when to be
/// called again at the latest.
///
/// A card taken away mid-read, a frame with a bad checksum, garbage or a silent reader
/// report nothing and are tried again at the next poll; a reader silent for
/// `silentAfter` polls in a row is reported as not answering, once, until it answers again.
public struct IDCardReaderMachine: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Time between two "find a card" polls while none lies on the reader.
        public var pollInterval: Duration
        /// How long an answer may take (a read of text and photo takes a few hundred ms).
        public var responseTimeout: Duration
        /// Unanswered commands in a row after which the reader counts as not answering.
        public var silentAfter: Int

        public init(pollInterval: Duration = .milliseconds(400), responseTimeout: Duration = .seconds(2), silentAfter: Int = 3) {
            self.pollInterval = pollInterval
            self.responseTimeout = responseTimeout
            self.silentAfter = silentAfter
        }
    }

    /// What the machine tells its owner.
    public enum Event: Sendable, Hashable {
        /// A card was read; reported once while it stays on the reader.
        case cardRead(CardIdentity)
        /// The reader stopped answering, or answers again.
        case readerSilent
        case readerAnswering
    }

    public struct Step: Sendable, Hashable {
        /// Bytes to write to the reader now.
        public var send: [UInt8]?
        public var events: [Event]
        public var nextDeadline: MonotonicInstant

        public init(send: [UInt8]?, events: [Event], nextDeadline: MonotonicInstant) {
            self.send = send
            self.events = events
            self.nextDeadline = nextDeadline
        }
    }

    public let configuration: Configuration
    private var awaiting: (command: IDCardProtocol.Command, deadline: MonotonicInstant)?
    private var nextPoll: MonotonicInstant
    /// The card last reported, while it lies on the reader (finds keep finding it).
    private var present: CardIdentity?
    private var unanswered = 0
    private var silent = false

    public init(configuration: Configuration = Configuration(), at now: MonotonicInstant) {
        self.configuration = configuration
        nextPoll = now
    }

    /// The first poll.
    public mutating func start(at now: MonotonicInstant) -> Step {
        send(.find, at: now, events: [])
    }

    /// A response (or a frame that could not be read) arrived at `now`.
    public mutating func handle(
        _ response: Result<IDCardProtocol.Response, IDCardProtocol.FrameError>, at now: MonotonicInstant, today: CalendarDate
    ) -> Step {
        guard let (command, _) = awaiting else { return wait(at: now, events: []) }
        awaiting = nil
        var events: [Event] = []
        unanswered = 0
        if silent {
            silent = false
            events.append(.readerAnswering)
        }
        guard case .success(let answer) = response else { return wait(at: now, events: events) }
        switch (command, answer.status) {
        case (.find, IDCardProtocol.Response.cardFound):
            return send(.select, at: now, events: events)
        case (.find, _):
            // No card (or the reader refused): whatever lay there is gone.
            present = nil
        case (.select, IDCardProtocol.Response.done):
            return send(.read, at: now, events: events)
        case (.read, IDCardProtocol.Response.done):
            if let identity = CardIdentity(readData: answer.data, today: today) {
                if identity != present { events.append(.cardRead(identity)) }
                present = identity
            }
        case (.select, _), (.read, _):
            // Taken away between find and read, or a read that failed: nothing is reported.
            present = nil
        }
        return wait(at: now, events: events)
    }

    /// Time passed: an answer that did not come counts against the reader, and a poll
    /// that is due is sent.
    public mutating func tick(at now: MonotonicInstant) -> Step {
        var events: [Event] = []
        if let (_, deadline) = awaiting {
            guard now >= deadline else { return Step(send: nil, events: [], nextDeadline: deadline) }
            awaiting = nil
            unanswered += 1
            if unanswered >= configuration.silentAfter, !silent {
                silent = true
                present = nil
                events.append(.readerSilent)
            }
            nextPoll = now
        }
        guard now >= nextPoll else { return Step(send: nil, events: events, nextDeadline: nextPoll) }
        return send(.find, at: now, events: events)
    }

    private mutating func send(_ command: IDCardProtocol.Command, at now: MonotonicInstant, events: [Event]) -> Step {
        let deadline = now.advanced(by: configuration.responseTimeout)
        awaiting = (command, deadline)
        return Step(send: IDCardProtocol.frame(command), events: events, nextDeadline: deadline)
    }

    private mutating func wait(at now: MonotonicInstant, events: [Event]) -> Step {
        nextPoll = now.advanced(by: configuration.pollInterval)
        return Step(send: nil, events: events, nextDeadline: nextPoll)
    }
}
