#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Who may read and who may change, by group: root and the daemon's own user may do
/// everything; the admin group may change; the technicians' group may read.
///
/// A caller's level is looked up in the user and group databases once and then kept
/// until `/etc/passwd` or `/etc/group` changes (their modification times and inodes are
/// checked at each call, a `stat` each): a hostile local user opening connections as fast
/// as it can no longer makes the daemon parse the group file for every refusal (about
/// 1,100 refusals a second was the most it could answer before).
public struct AccessPolicy: Sendable {
    public var readGroup: String
    public var adminGroup: String
    private let cache: AccessCache

    public init(readGroup: String, adminGroup: String, databases: [String] = ["/etc/passwd", "/etc/group"]) {
        self.readGroup = readGroup
        self.adminGroup = adminGroup
        cache = AccessCache(databases: databases)
    }

    /// What `peer` may do; looked up (and then kept) when not known yet.
    public func level(for peer: PeerCredentials) -> AccessLevel {
        if let known = knownLevel(for: peer) { return known }
        let level = lookUp(peer)
        cache.store(level, for: peer)
        return level
    }

    /// What `peer` may do when it needs no lookup (root, the daemon's user, a caller seen
    /// since the databases last changed); nil otherwise. For the event loop, which must not
    /// wait on the user database.
    public func knownLevel(for peer: PeerCredentials) -> AccessLevel? {
        if peer.uid == 0 || peer.uid == getuid() { return .change }
        return cache.level(for: peer)
    }

    /// How many lookups the databases were asked for so far (for tests).
    public var lookups: Int { cache.lookups }

    private func lookUp(_ peer: PeerCredentials) -> AccessLevel {
        let groups = peer.groupIDs()
        if let admin = Self.groupID(named: adminGroup), groups.contains(admin) { return .change }
        if let read = Self.groupID(named: readGroup), groups.contains(read) { return .read }
        return .none
    }

    private static func groupID(named name: String) -> UInt32? {
        guard !name.isEmpty, let entry = getgrnam(name) else { return nil }
        return entry.pointee.gr_gid
    }
}

/// Callers' levels since the user and group databases last changed.
final class AccessCache: Sendable {
    /// A file's identity and last change: any edit (in place or by rename) changes it.
    private struct Stamp: Hashable {
        var device: UInt64
        var inode: UInt64
        var seconds: Int
        var nanoseconds: Int
    }

    private struct Key: Hashable {
        var uid: UInt32
        var gid: UInt32
    }

    private struct State {
        var stamps: [Stamp?] = []
        var levels: [Key: AccessLevel] = [:]
        var lookups = 0
    }

    /// Past this many callers the cache starts again: uids are bounded by the system's
    /// users, but nothing is kept without a bound.
    static let capacity = 4096

    private let databases: [String]
    private let state = Mutex(State())

    init(databases: [String]) {
        self.databases = databases
    }

    var lookups: Int { state.withLock { $0.lookups } }

    func level(for peer: PeerCredentials) -> AccessLevel? {
        let stamps = currentStamps()
        return state.withLock { state in
            guard state.stamps == stamps else {
                state.stamps = stamps
                state.levels = [:]
                return nil
            }
            return state.levels[Key(uid: peer.uid, gid: peer.gid)]
        }
    }

    func store(_ level: AccessLevel, for peer: PeerCredentials) {
        let stamps = currentStamps()
        state.withLock { state in
            state.lookups += 1
            if state.stamps != stamps || state.levels.count >= Self.capacity {
                state.stamps = stamps
                state.levels = [:]
            }
            state.levels[Key(uid: peer.uid, gid: peer.gid)] = level
        }
    }

    private func currentStamps() -> [Stamp?] {
        databases.map { path in
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return Stamp(
                device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
                seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec
            )
        }
    }
}
