import KioskCore

/// Turns the bytes a terminal sends into keys and reports.
///
/// The decoder keeps an incomplete escape sequence or UTF-8 character between calls, so a
/// sequence split across reads decodes exactly as when it arrives whole. Bytes that form
/// nothing it knows (invalid UTF-8, unknown or over-long sequences) are dropped, never
/// turned into keys. A lone Escape is ambiguous until the next byte or a pause; the
/// session calls `flush()` after a short pause to deliver it.
///
/// Nothing a terminal (or someone at its keyboard) sends can silence it: a control string
/// (OSC, DCS, APC, PM, SOS, in their 7-bit `ESC x` and 8-bit C1 forms, such as an OSC 52
/// clipboard string or an OSC 11 colour reply) is consumed whole up to its terminator and
/// never read as keys; 8-bit CSI and SS3 sequences are consumed and dropped; a bracketed
/// paste ends at its end marker, at `maximumPasteLength`, or at the pause that `flush()`
/// marks; and `hasPending` stays true while a string or a paste is open, so the session
/// always gets that pause.
public struct KeyDecoder: Sendable {
    /// The longest escape sequence kept while waiting for its end; longer ones are dropped.
    static let maximumSequenceLength = 64
    /// The largest paste delivered; the rest of an enormous paste is dropped.
    static let maximumPasteLength = 4096
    /// The longest control string waited for (nothing of it is kept): after this many
    /// bytes without a terminator the string is over and decoding resumes.
    static let maximumStringLength = 65_536

    private enum Mode: Sendable {
        case ground
        /// Inside a bracketed paste, with what it pasted so far.
        case paste([UInt8])
        /// A paste that reached `maximumPasteLength` was delivered; the rest of it, up to
        /// its end marker, is dropped.
        case pasteOverflow
        /// Inside a control string: `length` bytes dropped so far, and how many UTF-8
        /// continuation bytes the last character still needs (so that 0x9C inside a
        /// character is not read as the 8-bit string terminator).
        case controlString(length: Int, continuation: Int)
    }

    private var mode = Mode.ground
    private var pending: [UInt8] = []
    private var lastWasCarriageReturn = false

    public init() {}

    /// True when bytes are held back waiting for the rest of a sequence, or a control
    /// string or a paste is open: the session flushes after a pause either way.
    public var hasPending: Bool {
        if case .ground = mode { return !pending.isEmpty }
        return true
    }

    /// Decodes `bytes`, together with what was held back from earlier calls.
    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [TerminalInput] {
        pending.append(contentsOf: bytes)
        var output: [TerminalInput] = []
        var index = 0
        while index < pending.count {
            guard let consumed = decodeOne(at: index, into: &output, final: false) else { break }
            index += consumed
        }
        pending.removeFirst(index)
        return output
    }

    /// Delivers what is held back as if no more bytes will come: a lone Escape becomes the
    /// Escape key; an open paste is delivered as far as it came; an open control string,
    /// an incomplete sequence or character is dropped.
    public mutating func flush() -> [TerminalInput] {
        var output: [TerminalInput] = []
        var index = 0
        while index < pending.count {
            index += decodeOne(at: index, into: &output, final: true) ?? (pending.count - index)
        }
        pending.removeAll()
        if case .paste(let collected) = mode { deliverPaste(collected, into: &output) }
        mode = .ground
        return output
    }

    /// Forgets everything held back, as a new session starts.
    public mutating func reset() {
        self = KeyDecoder()
    }

    /// Decodes one item starting at `index`; returns the bytes consumed, or nil when the
    /// item is incomplete and more bytes are needed.
    private mutating func decodeOne(at index: Int, into output: inout [TerminalInput], final: Bool) -> Int? {
        switch mode {
        case .paste, .pasteOverflow: return consumePaste(at: index, into: &output)
        case .controlString: return consumeControlString(at: index)
        case .ground: break
        }
        let byte = pending[index]
        let wasCarriageReturn = lastWasCarriageReturn
        lastWasCarriageReturn = byte == 0x0D
        switch byte {
        case 0x1B:
            return decodeEscape(at: index, into: &output, final: final)
        case 0x0D:
            output.append(.key(.enter))
        case 0x0A:
            // Some serial terminals send CR LF for Enter: one key, not two.
            if !wasCarriageReturn { output.append(.key(.enter)) }
        case 0x7F, 0x08:
            output.append(.key(.backspace))
        case 0x09:
            output.append(.key(.tab))
        case 0x00..<0x20:
            output.append(.key(.control(byte)))
        case 0x20..<0x7F:
            output.append(.key(.character(Character(Unicode.Scalar(byte)))))
        case 0x80...0x9F:
            // Not a UTF-8 lead byte: an 8-bit C1 control.
            return decodeC1(byte, at: index, introducer: 1, final: final)
        default:
            return decodeUTF8(at: index, into: &output, final: final)
        }
        return 1
    }

    // MARK: UTF-8

    private mutating func decodeUTF8(at index: Int, into output: inout [TerminalInput], final: Bool) -> Int? {
        let lead = pending[index]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 1  // An invalid lead: dropped.
        }
        let available = pending.count - index
        for offset in 1..<min(length, available) where pending[index + offset] & 0xC0 != 0x80 {
            return offset  // Broken sequence: drop what was read, resync on this byte.
        }
        if available < length { return final ? available : nil }
        let bytes = pending[index..<(index + length)]
        var iterator = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return length }
        if (0x80...0x9F).contains(scalar.value) {
            // A C1 control written as UTF-8 (U+0080–U+009F): the same as its 8-bit byte.
            return decodeC1(UInt8(scalar.value), at: index, introducer: length, final: final)
        }
        if UntrustedText.isSafe(scalar) { output.append(.key(.character(Character(scalar)))) }
        return length
    }

    // MARK: Escape sequences

    private mutating func decodeEscape(at index: Int, into output: inout [TerminalInput], final: Bool) -> Int? {
        guard index + 1 < pending.count else {
            if final { output.append(.key(.escape)) }
            return final ? 1 : nil
        }
        switch pending[index + 1] {
        case UInt8(ascii: "["):
            return decodeCSI(at: index, introducer: 2, interpreting: true, into: &output, final: final)
        case UInt8(ascii: "O"):
            guard index + 2 < pending.count else { return final ? pending.count - index : nil }
            if let key = Self.ss3Keys[pending[index + 2]] { output.append(.key(key)) }
            return 3
        case UInt8(ascii: "]"), UInt8(ascii: "P"), UInt8(ascii: "_"), UInt8(ascii: "^"), UInt8(ascii: "X"):
            // OSC, DCS, APC, PM, SOS: a string up to its terminator, never keys.
            mode = .controlString(length: 2, continuation: 0)
            return 2
        case UInt8(ascii: "\\"):
            return 2  // A string terminator with no string: nothing.
        default:
            // Escape followed by anything else: the Escape key, then that byte on its own
            // (Alt+key arrives this way and is taken as the two keys).
            output.append(.key(.escape))
            return 1
        }
    }

    /// An 8-bit C1 control (or its UTF-8 form, `introducer` bytes long) at `index`: a
    /// string introducer opens a control string; CSI and SS3 sequences are consumed whole
    /// and dropped (a kiosk's terminal sends its keys with 7-bit ESC, and the parameters of
    /// an 8-bit sequence must not be typed); any other C1 control is dropped.
    private mutating func decodeC1(_ control: UInt8, at index: Int, introducer: Int, final: Bool) -> Int? {
        switch control {
        case 0x90, 0x98, 0x9D, 0x9E, 0x9F:
            mode = .controlString(length: introducer, continuation: 0)
            return introducer
        case 0x9B:
            var ignored: [TerminalInput] = []
            return decodeCSI(at: index, introducer: introducer, interpreting: false, into: &ignored, final: final)
        case 0x8F:
            guard index + introducer < pending.count else { return final ? pending.count - index : nil }
            return introducer + 1
        default:
            return introducer
        }
    }

    private static let ss3Keys: [UInt8: Key] = [
        UInt8(ascii: "P"): .function(1), UInt8(ascii: "Q"): .function(2),
        UInt8(ascii: "R"): .function(3), UInt8(ascii: "S"): .function(4),
        UInt8(ascii: "A"): .up, UInt8(ascii: "B"): .down, UInt8(ascii: "C"): .right, UInt8(ascii: "D"): .left,
        UInt8(ascii: "H"): .home, UInt8(ascii: "F"): .end, UInt8(ascii: "M"): .enter,
    ]

    /// A CSI sequence whose parameters start `introducer` bytes after `index`; interpreted
    /// as a key or report, or only consumed.
    private mutating func decodeCSI(
        at index: Int, introducer: Int, interpreting: Bool, into output: inout [TerminalInput], final: Bool
    ) -> Int? {
        var cursor = index + introducer
        while cursor < pending.count {
            let byte = pending[cursor]
            switch byte {
            case 0x20...0x3F:
                cursor += 1
                if cursor - index > Self.maximumSequenceLength { return cursor - index }
                continue
            case 0x40...0x7E:
                if interpreting {
                    let body = Array(pending[(index + introducer)..<cursor])
                    interpretCSI(body: body, final: byte, into: &output)
                }
                return cursor - index + 1
            default:
                // Not a valid CSI byte: drop the sequence so far and resync on this byte.
                return cursor - index
            }
        }
        return final ? pending.count - index : nil
    }

    private mutating func interpretCSI(body: [UInt8], final: UInt8, into output: inout [TerminalInput]) {
        let privateMarker = body.first.flatMap { (0x3C...0x3F).contains($0) ? $0 : nil }
        let parameterBytes = privateMarker == nil ? body[...] : body.dropFirst()
        let parameters = parameterBytes.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false).map {
            Int(String(decoding: $0, as: UTF8.self)) ?? 0
        }
        let first = parameters.first ?? 0
        switch (privateMarker, final) {
        case (nil, UInt8(ascii: "A")): output.append(.key(.up))
        case (nil, UInt8(ascii: "B")): output.append(.key(.down))
        case (nil, UInt8(ascii: "C")): output.append(.key(.right))
        case (nil, UInt8(ascii: "D")): output.append(.key(.left))
        case (nil, UInt8(ascii: "H")): output.append(.key(.home))
        case (nil, UInt8(ascii: "F")): output.append(.key(.end))
        case (nil, UInt8(ascii: "P")): output.append(.key(.function(1)))
        case (nil, UInt8(ascii: "Q")): output.append(.key(.function(2)))
        case (nil, UInt8(ascii: "S")): output.append(.key(.function(4)))
        case (nil, UInt8(ascii: "R")) where parameters.count == 2:
            output.append(.report(.cursorPosition(row: parameters[0], column: parameters[1])))
        case (nil, UInt8(ascii: "R")): output.append(.key(.function(3)))
        case (nil, UInt8(ascii: "~")):
            if first == 200 {
                mode = .paste([])
            } else if let key = Self.tildeKeys[first] {
                output.append(.key(key))
            }
        case (UInt8(ascii: "<"), UInt8(ascii: "M")) where parameters.count == 3:
            // Left button press only; motion (32), wheel (64) and other buttons are ignored.
            if parameters[0] & ~0b11100 == 0, parameters[1] >= 1, parameters[2] >= 1 {
                output.append(.key(.click(GridPosition(row: parameters[2] - 1, column: parameters[1] - 1))))
            }
        case (UInt8(ascii: "?"), UInt8(ascii: "c")):
            output.append(.report(.deviceAttributes(parameters)))
        default:
            break  // Focus events, releases, unknown sequences: dropped.
        }
    }

    private static let tildeKeys: [Int: Key] = [
        1: .home, 2: .insert, 3: .delete, 4: .end, 5: .pageUp, 6: .pageDown, 7: .home, 8: .end,
        11: .function(1), 12: .function(2), 13: .function(3), 14: .function(4), 15: .function(5),
        17: .function(6), 18: .function(7), 19: .function(8), 20: .function(9), 21: .function(10),
        23: .function(11), 24: .function(12),
    ]

    // MARK: Control strings

    /// Drops the bytes of an open control string up to and including its terminator: BEL,
    /// ST (`ESC \`, 0x9C, or U+009C as UTF-8), or CAN and SUB, which cancel it. An Escape
    /// followed by anything else ends the string too and starts a sequence of its own, as
    /// in DEC's parser, so an arrow key is never lost to a string that was not terminated.
    private mutating func consumeControlString(at index: Int) -> Int? {
        guard case .controlString(var length, var continuation) = mode else { return 0 }
        var cursor = index
        defer { if case .controlString = mode { mode = .controlString(length: length, continuation: continuation) } }
        while cursor < pending.count {
            let byte = pending[cursor]
            if continuation > 0, byte & 0xC0 == 0x80 {
                continuation -= 1
            } else {
                continuation = 0
                switch byte {
                case 0x07, 0x9C, 0x18, 0x1A:
                    mode = .ground
                    return cursor - index + 1
                case 0x1B, 0xC2:
                    // ST's first byte, or U+009C's: it needs the next one.
                    guard cursor + 1 < pending.count else { return cursor == index ? nil : cursor - index }
                    let next = pending[cursor + 1]
                    if byte == 0x1B {
                        mode = .ground
                        return next == UInt8(ascii: "\\") ? cursor - index + 2 : cursor - index
                    }
                    if next == 0x9C {
                        mode = .ground
                        return cursor - index + 2
                    }
                    continuation = 1
                case 0xC3...0xDF: continuation = 1
                case 0xE0...0xEF: continuation = 2
                case 0xF0...0xF4: continuation = 3
                default: break
                }
            }
            cursor += 1
            length += 1
            if length > Self.maximumStringLength {
                mode = .ground
                return cursor - index
            }
        }
        return cursor == index ? nil : cursor - index
    }

    // MARK: Bracketed paste

    private static let pasteEnd: [UInt8] = Array("\u{1B}[201~".utf8)

    private mutating func consumePaste(at index: Int, into output: inout [TerminalInput]) -> Int? {
        let end = Self.pasteEnd
        var cursor = index
        while cursor < pending.count {
            if pending[cursor] == end[0] {
                let available = min(end.count, pending.count - cursor)
                if pending[cursor..<(cursor + available)].elementsEqual(end[0..<available]) {
                    collectPaste(pending[index..<cursor], into: &output)
                    if available < end.count { return cursor == index ? nil : cursor - index }
                    if case .paste(let collected) = mode { deliverPaste(collected, into: &output) }
                    mode = .ground
                    return cursor - index + end.count
                }
            }
            cursor += 1
        }
        collectPaste(pending[index..<cursor], into: &output)
        return cursor - index
    }

    /// Adds `bytes` to the open paste; at `maximumPasteLength` the paste is delivered and
    /// the rest of it is dropped.
    private mutating func collectPaste(_ bytes: ArraySlice<UInt8>, into output: inout [TerminalInput]) {
        guard case .paste(var collected) = mode else { return }
        // The mode lets go of the buffer first, so that appending does not copy it.
        mode = .ground
        let room = Self.maximumPasteLength - collected.count
        collected.append(contentsOf: bytes.prefix(room))
        if bytes.count > room {
            deliverPaste(collected, into: &output)
            mode = .pasteOverflow
        } else {
            mode = .paste(collected)
        }
    }

    private func deliverPaste(_ collected: [UInt8], into output: inout [TerminalInput]) {
        let text = UntrustedText(String(decoding: collected, as: UTF8.self)).sanitized
        if !text.isEmpty { output.append(.key(.paste(text))) }
    }
}
