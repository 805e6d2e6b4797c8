#if canImport(Glibc)
import Glibc
#endif

/// Who is on the other end of a control connection, as the kernel reports it
/// (SO_PEERCRED): not what the client claims.
public struct PeerCredentials: Sendable, Hashable, CustomStringConvertible {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    /// Credentials nobody has, used when the kernel did not answer: they match no group.
    public static let unknown = PeerCredentials(pid: 0, uid: UInt32.max, gid: UInt32.max)

    public var description: String { "uid:\(uid)" }

    /// The groups the peer's user belongs to: its primary group and its supplementary ones.
    public func groupIDs() -> Set<UInt32> {
        var result: Set<UInt32> = [gid]
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return result }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, gid, &groups, &count) == -1 {
            groups = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(name, gid, &groups, &count)
        }
        result.formUnion(groups.prefix(Int(max(0, count))))
        return result
    }
}

extension PeerCredentials {
    /// The credentials of the peer of a connected Unix socket; `.unknown` if the kernel
    /// does not say.
    public static func of(socket: Int32) -> PeerCredentials {
        var credentials = KernelPeerCredentials()
        var length = socklen_t(MemoryLayout<KernelPeerCredentials>.size)
        guard getsockopt(socket, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else { return .unknown }
        return PeerCredentials(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid)
    }
}

/// The layout of Linux's `struct ucred`, which Glibc only declares under _GNU_SOURCE and
/// so is not visible to Swift: three 32-bit fields, pid, uid, gid.
struct KernelPeerCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

/// What a peer may do on the control socket.
public enum AccessLevel: Int, Sendable, Comparable {
    case none = 0
    /// Read state: Status, lists.
    case read = 1
    /// Change things: reset terminals, reprint, requeue, reload.
    case change = 2

    public static func < (lhs: AccessLevel, rhs: AccessLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}
