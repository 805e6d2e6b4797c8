import Foundation

/// The Varlink harness (`scripts/fuzz varlink`): the input is what a control-socket client
/// sent. The NIO decoder itself cannot be built without NIO, so the framing checked is
/// `VarlinkFraming`, the rule it applies, run the way NIO feeds it (bytes accumulate,
/// messages are taken while whole ones are there).
///
/// Framing properties: the input whole and split at a point chosen by its first byte give
/// the same messages; no message holds a NUL or exceeds the limit; the messages with their
/// NULs and what is left are the input. Message properties, for every message and for the
/// bytes left: decoding as a call (as the server does) never crashes; a call decoded
/// encodes to a frame with exactly one NUL, at its end, that decodes to the same call; the
/// parameters read by declared type (`decodeParameters`) are a value or `InvalidParameter`.
@Sendable func varlinkFuzz(_ bytes: [UInt8]) {
    let maximumLength = 16 + Int(bytes.first ?? 0)
    let whole = VarlinkStream.split([bytes], maximumLength: maximumLength)
    let point = bytes.first.map { Int($0) % (bytes.count + 1) } ?? 0
    let split = VarlinkStream.split([Array(bytes[..<point]), Array(bytes[point...])], maximumLength: maximumLength)
    require(whole.messages == split.messages && whole.tooLong == split.tooLong && (whole.tooLong || whole.rest == split.rest),
                 "framing split at \(point) differs from framing whole")
    for message in whole.messages {
        require(!message.contains(0) && message.count <= maximumLength, "a message holds a NUL or is too long")
    }
    if !whole.tooLong {
        require(whole.messages.flatMap { $0 + [0] } + whole.rest == bytes, "framing lost or added bytes")
    } else {
        let head = whole.rest.prefix(maximumLength + 1)
        require(head.count == maximumLength + 1 && !head.contains(0), "a message was refused as too long while within the limit")
    }

    for message in whole.messages + [whole.rest] {
        checkMessage(message)
    }
}

private func checkMessage(_ message: [UInt8]) {
    guard let call = try? JSONDecoder().decode(VarlinkCall.self, from: Data(message)) else { return }
    _ = (call.interface, call.memberName)
    let frame: [UInt8]
    do {
        frame = try call.frame()
    } catch {
        requireFailure("a decoded call does not encode: \(error)")
    }
    require(frame.last == 0 && frame.firstIndex(of: 0) == frame.count - 1, "an encoded call does not hold exactly one NUL, at its end")
    require(VarlinkFraming.next(in: frame, maximumLength: frame.count) == .message(length: frame.count - 1), "an encoded call is not one message")
    let again = try? JSONDecoder().decode(VarlinkCall.self, from: Data(frame.dropLast()))
    require(again == call, "a call decodes differently after encoding: \(call) became \(String(describing: again))")

    // Parameters read by declared type, as the control server reads every method's (the
    // shapes its methods use: optional text, number and flag, a required text, and each
    // name the call carries): a value or InvalidParameter, never another error, never a trap.
    decode(OptionalFields.self, from: call)
    decode(RequiredName.self, from: call)
    decode(AnyNamed.self, from: call)
}

private struct OptionalFields: Decodable {
    var name: String?
    var terminal: String?
    var failed: Bool?
    var limit: Int?
    var seconds: Int64?
}

private struct RequiredName: Decodable {
    var name: String
}

/// Every parameter the call itself names, read as text, number and flag in turn.
private struct AnyNamed: Decodable {
    init(from decoder: any Decoder) throws {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            _ = try? container.decodeIfPresent(String.self, forKey: key)
            _ = try? container.decodeIfPresent(Int.self, forKey: key)
            _ = try? container.decodeIfPresent(Bool.self, forKey: key)
        }
    }
}

private func decode<T: Decodable>(_ type: T.Type, from call: VarlinkCall) {
    do {
        _ = try call.decodeParameters(type)
    } catch let error as VarlinkError {
        require(error.name == "org.varlink.service.InvalidParameter", "\(type) threw \(error)")
    } catch {
        requireFailure("\(type) threw \(error)")
    }
}

/// NIO's way of running a decoder: bytes accumulate; after each read, messages are taken
/// while whole ones are there; too long ends the connection.
private struct VarlinkStream {
    var messages: [[UInt8]] = []
    var rest: [UInt8] = []
    var tooLong = false

    static func split(_ reads: [[UInt8]], maximumLength: Int) -> VarlinkStream {
        var stream = VarlinkStream()
        for read in reads where !stream.tooLong {
            stream.rest += read
            reading: while true {
                switch VarlinkFraming.next(in: stream.rest, maximumLength: maximumLength) {
                case .message(let length):
                    stream.messages.append(Array(stream.rest[..<length]))
                    stream.rest.removeFirst(length + 1)
                case .needMore:
                    break reading
                case .tooLong:
                    stream.tooLong = true
                    break reading
                }
            }
        }
        return stream
    }
}
