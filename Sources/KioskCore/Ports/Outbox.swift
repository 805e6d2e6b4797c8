import Foundation

/// One thing waiting to reach the central service. Entries are never deleted: delivered
/// and dead ones stay, so technicians can always see what happened.
public struct OutboxEntry: Sendable, Hashable, Identifiable {
    public enum State: String, Sendable, Hashable, CaseIterable, Codable {
        case pending
        case delivered
        case dead
    }

    /// What an entry carries to the central service.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        case application
        case rating
        case payment
    }

    public enum Payload: Sendable, Hashable {
        case application(Application)
        case rating(Rating)
        /// A payment recorded in the ledger, reported to the centre.
        case payment(PaymentReport)

        /// The idempotency key: the application's, rating's or order's UUID.
        public var key: UUID {
            switch self {
            case .application(let application): application.id
            case .rating(let rating): rating.id
            case .payment(let report): report.orderID
            }
        }

        public var kind: Kind {
            switch self {
            case .application: .application
            case .rating: .rating
            case .payment: .payment
            }
        }
    }

    public var id: Int64
    public var payload: Payload
    public var state: State
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    /// Why the last try failed, or why the entry is dead; never personal data.
    public var lastError: String?

    public init(
        id: Int64, payload: Payload, state: State, attempts: Int, createdAt: Date, nextAttemptAt: Date,
        lastError: String?
    ) {
        self.id = id
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
    }
}

/// What the central service said when an application was delivered.
public struct CaseReceipt: Sendable, Hashable {
    public var caseNumber: String
    public var status: CaseStatus
    public var changedAt: Date

    public init(caseNumber: String, status: CaseStatus, changedAt: Date) {
        self.caseNumber = caseNumber
        self.status = status
        self.changedAt = changedAt
    }
}

/// A status change pulled from the central service.
public struct CaseStatusChange: Sendable, Hashable {
    public var applicationID: UUID
    public var caseNumber: String
    /// Nil for the case itself, else the bundle's sub-item.
    public var subItem: String?
    public var status: CaseStatus
    public var changedAt: Date

    public init(applicationID: UUID, caseNumber: String, subItem: String?, status: CaseStatus, changedAt: Date) {
        self.applicationID = applicationID
        self.caseNumber = caseNumber
        self.subItem = subItem
        self.status = status
        self.changedAt = changedAt
    }
}

/// What became of one try to deliver an outbox entry.
public enum OutboxOutcome: Sendable, Hashable {
    /// The entry reached the central service; for an application, with its case.
    case delivered(id: Int64, receipt: CaseReceipt?, at: Date)
    /// The try failed and may be repeated at `nextAttemptAt`.
    case retry(id: Int64, attempts: Int, nextAttemptAt: Date, reason: String)
    /// The entry will not be tried again until a technician requeues it.
    case dead(id: Int64, attempts: Int, reason: String)
}

/// The durable outbox the forwarder drains (the store, in the daemon).
public protocol OutboxStore: Sendable {
    /// Pending entries due at `now`, oldest first.
    func dueEntries(at now: Date, limit: Int) async throws -> [OutboxEntry]
    /// When the next pending entry falls due; nil when none is pending.
    func nextDueDate() async throws -> Date?
    /// Records what became of a batch of tries, in one transaction.
    func record(_ outcomes: [OutboxOutcome]) async throws
    /// Status changes pulled from the central service, and the cursor to ask with next.
    func apply(_ changes: [CaseStatusChange], cursor: Int64) async throws
    /// The cursor of the last status changes applied (0 at first).
    func statusCursor() async throws -> Int64
}

/// An outbox entry as technicians see it: no personal data, only the application number
/// (which is on the citizen's slip and says nothing about them) and the item.
public struct OutboxEntrySummary: Sendable, Hashable, Codable {
    public var id: Int64
    public var kind: OutboxEntry.Kind
    public var reference: String
    public var itemID: String?
    public var state: OutboxEntry.State
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date
    public var lastError: String?

    /// Spelt so that the snake_case key `item_id` reads back to `itemID`.
    enum CodingKeys: String, CodingKey {
        case id, kind, reference, state, attempts, createdAt, nextAttemptAt, lastError
        case itemID = "itemId"
    }

    public init(
        id: Int64, kind: OutboxEntry.Kind, reference: String, itemID: String?, state: OutboxEntry.State, attempts: Int, createdAt: Date,
        nextAttemptAt: Date, lastError: String?
    ) {
        self.id = id
        self.kind = kind
        self.reference = reference
        self.itemID = itemID
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
    }
}

/// How many entries are in each state.
public struct OutboxCounts: Sendable, Hashable, Codable {
    public var pending: Int
    public var delivered: Int
    public var dead: Int
    /// When the oldest pending entry was created; nil when none is pending.
    public var oldestPendingAt: Date?

    public init(pending: Int = 0, delivered: Int = 0, dead: Int = 0, oldestPendingAt: Date? = nil) {
        self.pending = pending
        self.delivered = delivered
        self.dead = dead
        self.oldestPendingAt = oldestPendingAt
    }
}
