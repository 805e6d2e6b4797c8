import NIOCore

/// Splits a byte stream into Varlink messages: each message is JSON ended by a NUL byte
/// (the rule is `VarlinkFraming`'s).
///
/// A message longer than `maximumLength` (a client that never sends the NUL) is an error
/// that closes that connection, so no client can make the daemon buffer without bound.
public struct VarlinkFrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public struct FrameTooLong: Error, Hashable {}

    public let maximumLength: Int

    public init(maximumLength: Int = 1 << 20) {
        self.maximumLength = maximumLength
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        switch VarlinkFraming.next(in: buffer.readableBytesView, maximumLength: maximumLength) {
        case .needMore:
            return nil
        case .tooLong:
            throw FrameTooLong()
        case .message(let length):
            let frame = buffer.readSlice(length: length)
            buffer.moveReaderIndex(forwardBy: 1)
            return frame
        }
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }
}
