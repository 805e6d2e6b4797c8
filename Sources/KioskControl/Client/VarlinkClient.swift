#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A blocking Varlink client over a Unix socket, for `kioskctl`, the tests and the
/// benchmarks. One call at a time; replies are read up to their NUL terminator.
public final class VarlinkClient {
    public struct ConnectionError: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    /// Connects to the socket at `path`; calls wait at most `timeoutSeconds` for a reply
    /// (0: as long as it takes, for a stream that waits for changes).
    public init(socketPath path: String, timeoutSeconds: Int = 10) throws {
        // `self.descriptor` is set only once connected. A class whose stored properties are
        // all set runs its deinit when its init throws: closing the socket here and again
        // in deinit closed a descriptor number that by then belonged to another thread's
        // pipe or database file (seen as SQLite "disk I/O error", a broken pipe to pyte and
        // a crashed test run, whenever a test's connect failed while others ran).
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw ConnectionError(description: "cannot create a socket") }
        guard let address = UnixSocketAddress(path: path) else {
            Glibc.close(descriptor)
            throw ConnectionError(description: "socket path too long: \(path)")
        }
        let result = address.withSockaddr { connect(descriptor, $0, $1) }
        guard result == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw ConnectionError(description: "cannot connect to \(path): \(reason)")
        }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        self.descriptor = descriptor
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// Sends `call` and returns the server's reply (which may carry an error).
    public func call(_ call: VarlinkCall) throws -> VarlinkReply {
        try send(raw: try call.frame())
        return try JSONDecoder().decode(VarlinkReply.self, from: Data(try readFrame()))
    }

    /// Calls `method` and returns its parameters, or throws the Varlink error it answered.
    public func call(_ method: String, parameters: JSONValue? = nil) throws -> JSONValue {
        let reply = try call(VarlinkCall(method: method, parameters: parameters))
        if let error = reply.error {
            throw VarlinkError(name: error, parameters: reply.parameters ?? .object([:]))
        }
        return reply.parameters ?? .object([:])
    }

    /// Sends `call` with `more` and hands each reply to `each` until one does not continue,
    /// `each` returns false, or the server closes the connection (then it throws).
    public func stream(_ call: VarlinkCall, each: (VarlinkReply) throws -> Bool) throws {
        var call = call
        call.more = true
        try send(raw: try call.frame())
        while true {
            let reply = try JSONDecoder().decode(VarlinkReply.self, from: Data(try readFrame()))
            if let error = reply.error { throw VarlinkError(name: error, parameters: reply.parameters ?? .object([:])) }
            guard try each(reply), reply.continues == true else { return }
        }
    }

    /// Sends bytes as they are, for tests of malformed input.
    public func send(raw bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw ConnectionError(description: "connection closed while sending") }
            offset += written
        }
    }

    /// Reads one NUL-terminated frame; throws when the server closes the connection first.
    public func readFrame() throws -> [UInt8] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let frame = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                return frame
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard count > 0 else {
                throw ConnectionError(description: count == 0 ? "the daemon closed the connection" : "no reply in time")
            }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
