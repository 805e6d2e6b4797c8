#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Sending and receiving a file descriptor over a Unix stream socket (SCM_RIGHTS), with a
/// line of payload. Blocking calls: run them off the cooperative pool.
public enum DescriptorPassing {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Sends `payload` with `descriptor` attached in one message.
    public static func send(_ payload: [UInt8], descriptor: Int32, over socket: Int32) throws {
        var payload = payload
        let space = cmsgSpace(MemoryLayout<Int32>.size)
        var control = [UInt8](repeating: 0, count: space)
        let sent = payload.withUnsafeMutableBytes { bytes -> Int in
            control.withUnsafeMutableBytes { controlBytes -> Int in
                var vector = iovec(iov_base: bytes.baseAddress, iov_len: bytes.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBytes.baseAddress
                    message.msg_controllen = space
                    let header = controlBytes.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
                    header.pointee.cmsg_level = SOL_SOCKET
                    header.pointee.cmsg_type = Int32(SCM_RIGHTS)
                    header.pointee.cmsg_len = cmsgLength(MemoryLayout<Int32>.size)
                    let data = controlBytes.baseAddress! + cmsgLength(0)
                    data.storeBytes(of: descriptor, as: Int32.self)
                    return Glibc.sendmsg(socket, &message, Int32(MSG_NOSIGNAL))
                }
            }
        }
        guard sent == payload.count else { throw Failure(description: "sendmsg: \(String(cString: strerror(errno)))") }
    }

    /// Receives one message of at most `limit` bytes; the descriptor attached to it, if any,
    /// is returned (and owned by the caller). Extra descriptors are closed, never leaked.
    public static func receive(from socket: Int32, limit: Int = 4096) throws -> (payload: [UInt8], descriptor: Int32?) {
        var buffer = [UInt8](repeating: 0, count: limit)
        let space = cmsgSpace(MemoryLayout<Int32>.size * 4)
        var control = [UInt8](repeating: 0, count: space)
        var descriptors: [Int32] = []
        let received = buffer.withUnsafeMutableBytes { bytes -> Int in
            control.withUnsafeMutableBytes { controlBytes -> Int in
                var vector = iovec(iov_base: bytes.baseAddress, iov_len: bytes.count)
                return withUnsafeMutablePointer(to: &vector) { vectorPointer in
                    var message = msghdr()
                    message.msg_iov = vectorPointer
                    message.msg_iovlen = 1
                    message.msg_control = controlBytes.baseAddress
                    message.msg_controllen = space
                    let count = Glibc.recvmsg(socket, &message, Int32(MSG_CMSG_CLOEXEC))
                    guard count >= 0, message.msg_controllen >= cmsgLength(0) else { return count }
                    let header = controlBytes.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
                    if header.pointee.cmsg_level == SOL_SOCKET, header.pointee.cmsg_type == Int32(SCM_RIGHTS) {
                        let dataLength = Int(header.pointee.cmsg_len) - cmsgLength(0)
                        let data = controlBytes.baseAddress! + cmsgLength(0)
                        for index in 0..<(max(0, dataLength) / MemoryLayout<Int32>.size) {
                            descriptors.append(data.load(fromByteOffset: index * MemoryLayout<Int32>.size, as: Int32.self))
                        }
                    }
                    return count
                }
            }
        }
        guard received >= 0 else { throw Failure(description: "recvmsg: \(String(cString: strerror(errno)))") }
        for extra in descriptors.dropFirst() { close(extra) }
        return (Array(buffer.prefix(received)), descriptors.first)
    }

    private static func cmsgLength(_ length: Int) -> Int {
        MemoryLayout<cmsghdr>.size + length
    }

    private static func cmsgSpace(_ length: Int) -> Int {
        let align = MemoryLayout<Int>.size
        return MemoryLayout<cmsghdr>.size + (length + align - 1) / align * align
    }
}
