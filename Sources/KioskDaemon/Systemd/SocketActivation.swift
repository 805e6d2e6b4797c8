#if canImport(Glibc)
import Glibc
#endif

/// The listening sockets systemd passed in (socket activation, `sd_listen_fds`'s
/// protocol without libsystemd): descriptors from 3 on, `LISTEN_FDS` of them, meant for
/// this process when `LISTEN_PID` is its pid, named by `LISTEN_FDNAMES`.
public struct SocketActivation: Sendable {
    /// The first descriptor systemd passes (`SD_LISTEN_FDS_START`).
    static let firstDescriptor: Int32 = 3

    /// Each passed descriptor by its name (`FileDescriptorName=` in the socket unit;
    /// "unknown" when unnamed).
    public let descriptors: [String: Int32]

    /// Reads what systemd passed; nothing when the variables are missing, malformed or
    /// meant for another process (a parent that did not unset them).
    public init(environment: [String: String], pid: Int32 = getpid()) {
        guard let listenPID = environment["LISTEN_PID"].flatMap({ Int32($0) }), listenPID == pid,
              let count = environment["LISTEN_FDS"].flatMap({ Int32($0) }), (1...64).contains(count)
        else {
            descriptors = [:]
            return
        }
        let names = environment["LISTEN_FDNAMES"]?.split(separator: ":", omittingEmptySubsequences: false).map(String.init) ?? []
        var found: [String: Int32] = [:]
        for index in 0..<count {
            let name = Int(index) < names.count && !names[Int(index)].isEmpty ? names[Int(index)] : "unknown"
            if found[name] == nil { found[name] = Self.firstDescriptor + index }
        }
        descriptors = found
    }

    /// The listening socket for the control interface: the one named "control", or the
    /// only one passed. It is marked close-on-exec, so the processes kioskd starts (the
    /// demo's case-service, CUPS helpers) do not hold it.
    public var controlSocket: Int32? {
        guard let descriptor = descriptors["control"] ?? (descriptors.count == 1 ? descriptors.values.first : nil) else { return nil }
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        return descriptor
    }
}
