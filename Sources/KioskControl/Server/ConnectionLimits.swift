import Synchronization

/// How many control connections may be open at once, and how long one may go without a
/// complete call. Without them, ~1,000 idle connections used up systemd's default of
/// 1,024 descriptors and locked technicians out, and half-sent frames stayed open for ever.
public struct ConnectionLimits: Sendable, Hashable {
    /// A connection with no complete call and no reply owed for this long is closed: an
    /// idle client, or one that sent half a frame. A call being answered does not count.
    public var idleTimeout: Duration
    /// The most connections open at once, root's included.
    public var total: Int
    /// The most connections one user (uid) other than root may have open.
    public var perUser: Int

    public init(idleTimeout: Duration = .seconds(60), total: Int = 256, perUser: Int = 32) {
        self.idleTimeout = idleTimeout
        self.total = total
        self.perUser = perUser
    }

    /// The last connections of `total` only root may take (an eighth, at least one), so
    /// that root can always connect while other users have filled their share.
    public var reservedForRoot: Int { max(1, total / 8) }
}

/// The open control connections by user, admitting a new one only within the limits.
/// Shared by every connection's setup, on whichever event loop it runs.
final class ConnectionCounter: Sendable {
    /// Why a connection was refused.
    enum Refusal: String, Sendable {
        case perUser = "per-user limit"
        case total = "connection limit"
    }

    private struct State {
        var limits: ConnectionLimits
        var open: [UInt32: Int] = [:]
        var total = 0
        var refused = 0
    }

    private let state: Mutex<State>

    init(limits: ConnectionLimits) {
        state = Mutex(State(limits: limits))
    }

    /// The limits new connections are held to. A reload may change them: connections open
    /// already keep going (a lower cap only refuses the next ones).
    var limits: ConnectionLimits {
        get { state.withLock { $0.limits } }
        set { state.withLock { $0.limits = newValue } }
    }

    /// Counts the connection as open and returns nil, or counts a refusal and returns why
    /// with the number of refusals so far.
    func admit(_ peer: PeerCredentials) -> (refusal: Refusal, refusedSoFar: Int)? {
        state.withLock { state in
            let limits = state.limits
            let root = peer.uid == 0
            let refusal: Refusal?
            if state.total >= (root ? limits.total : limits.total - limits.reservedForRoot) {
                refusal = .total
            } else if !root, state.open[peer.uid, default: 0] >= limits.perUser {
                refusal = .perUser
            } else {
                refusal = nil
            }
            if let refusal {
                state.refused += 1
                return (refusal, state.refused)
            }
            state.open[peer.uid, default: 0] += 1
            state.total += 1
            return nil
        }
    }

    /// Counts an admitted connection as closed.
    func release(_ peer: PeerCredentials) {
        state.withLock { state in
            state.total -= 1
            let left = state.open[peer.uid, default: 1] - 1
            state.open[peer.uid] = left > 0 ? left : nil
        }
    }

    /// Connections open now.
    var openCount: Int { state.withLock { $0.total } }

    /// Connections refused since the server started.
    var refusedCount: Int { state.withLock { $0.refused } }
}
