/// The host protocol of a second-generation resident ID card reader (居民身份证阅读器,
/// the SAM module every government kiosk has), on a serial line.
///
/// A frame is the preamble `AA AA AA 96 69`, a two-byte big-endian length of what follows
/// it, and a checksum byte: the XOR of every byte from the length to the end of the data.
/// The host sends a command and its parameter (`20 01` find a card, `20 02` select it,
/// `30 01` read the text and photo); the reader answers with three status bytes, the
/// third saying what happened (`90` done, `9F` a card was found, `80` no card), then data.
public enum IDCardProtocol {
    public static let preamble: [UInt8] = [0xAA, 0xAA, 0xAA, 0x96, 0x69]
    /// Longer answers are not the reader's (the longest, read, is 1,295 bytes).
    public static let maximumLength = 4096

    public enum Command: Sendable, Hashable {
        case find, select, read

        var bytes: (command: UInt8, parameter: UInt8) {
            switch self {
            case .find: (0x20, 0x01)
            case .select: (0x20, 0x02)
            case .read: (0x30, 0x01)
            }
        }
    }

    /// The bytes that send `command`.
    public static func frame(_ command: Command) -> [UInt8] {
        frame(body: [command.bytes.command, command.bytes.parameter])
    }

    /// A frame around `body` (a command, or a reader's status and data): the length
    /// counts the body and the checksum byte.
    public static func frame(body: [UInt8]) -> [UInt8] {
        let length = body.count + 1
        var bytes = preamble + [UInt8(length >> 8), UInt8(length & 0xFF)] + body
        bytes.append(bytes[preamble.count...].reduce(0, ^))
        return bytes
    }

    /// What a reader answered.
    public struct Response: Sendable, Hashable {
        /// The third status byte (SW3).
        public var status: UInt8
        public var data: [UInt8]

        public init(status: UInt8, data: [UInt8]) {
            self.status = status
            self.data = data
        }

        public static let done: UInt8 = 0x90
        public static let cardFound: UInt8 = 0x9F
        public static let noCard: UInt8 = 0x80
    }

    /// A frame that could not be taken: the rest of the stream is still read.
    public enum FrameError: Error, Sendable, Hashable {
        /// The checksum byte does not match the frame.
        case checksum
        /// The length is impossible (shorter than the status, longer than any answer).
        case length(Int)
    }
}

/// Splits a reader's byte stream into responses, fed as the bytes come (one at a time or
/// all at once gives the same result). Bytes before a preamble are skipped; a frame with
/// a bad checksum or an impossible length is reported and dropped, and reading goes on at
/// the next preamble.
public struct IDCardResponseDecoder: Sendable {
    private var buffer: [UInt8] = []

    public init() {}

    /// Forgets anything held (after a timeout: the reader went silent mid-frame).
    public mutating func reset() { buffer.removeAll() }

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Result<IDCardProtocol.Response, IDCardProtocol.FrameError>] {
        buffer.append(contentsOf: bytes)
        var results: [Result<IDCardProtocol.Response, IDCardProtocol.FrameError>] = []
        let preamble = IDCardProtocol.preamble
        while true {
            // Drop what cannot start a preamble; keep a partial preamble at the end.
            guard let start = Self.preambleStart(in: buffer) else {
                buffer.removeAll()
                break
            }
            if start > 0 { buffer.removeFirst(start) }
            guard buffer.count >= preamble.count + 2 else { break }
            guard buffer.starts(with: preamble) else { break }
            let length = Int(buffer[5]) << 8 | Int(buffer[6])
            guard length >= 4, length <= IDCardProtocol.maximumLength else {
                results.append(.failure(.length(length)))
                buffer.removeFirst(1)
                continue
            }
            let total = preamble.count + 2 + length
            guard buffer.count >= total else { break }
            let frame = Array(buffer[..<total])
            let checksum = frame[preamble.count..<(total - 1)].reduce(0, ^)
            if checksum == frame[total - 1] {
                results.append(.success(IDCardProtocol.Response(status: frame[9], data: Array(frame[10..<(total - 1)]))))
                buffer.removeFirst(total)
            } else {
                results.append(.failure(.checksum))
                // The length may have been garbage too: look for the next preamble inside.
                buffer.removeFirst(1)
            }
        }
        return results
    }

    /// Where a preamble (or its beginning, at the end of `bytes`) starts; nil when none can.
    private static func preambleStart(in bytes: [UInt8]) -> Int? {
        let preamble = IDCardProtocol.preamble
        var from = 0
        // Only where its first byte is can a preamble start: a line of noise is passed over
        // at the speed of a byte search, not a comparison at every byte.
        while let index = bytes[from...].firstIndex(of: preamble[0]) {
            let candidate = bytes[index...].prefix(preamble.count)
            if candidate.elementsEqual(preamble.prefix(candidate.count)) { return index }
            from = index + 1
        }
        return nil
    }
}
