/// Varlink's framing rule on plain bytes: a message is JSON ended by a NUL byte, and none
/// may be longer than a limit. Kept free of NIO so that `scripts/fuzz` can compile it on
/// its own; `VarlinkFrameDecoder` applies it to a `ByteBuffer`.
public enum VarlinkFraming {
    /// What the bytes received so far hold at their start.
    public enum Next: Sendable, Hashable {
        /// A message of `length` bytes, followed by its NUL (so `length + 1` are consumed).
        case message(length: Int)
        /// No NUL yet and still within the limit: wait for more bytes.
        case needMore
        /// The message is, or will be, longer than `maximumLength`: the connection is closed.
        case tooLong
    }

    /// The first message of `bytes` (the start of what has been received and not consumed).
    public static func next<Bytes: Collection<UInt8>>(in bytes: Bytes, maximumLength: Int) -> Next {
        guard let end = bytes.firstIndex(of: 0) else {
            return bytes.count > maximumLength ? .tooLong : .needMore
        }
        let length = bytes.distance(from: bytes.startIndex, to: end)
        return length > maximumLength ? .tooLong : .message(length: length)
    }
}
