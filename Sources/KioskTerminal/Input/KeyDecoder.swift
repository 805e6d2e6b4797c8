import KioskCore

/// Turns the bytes a terminal sends into keys and reports.
///
/// The decoder keeps an incomplete escape sequence or UTF-8 character between calls, so a
/// sequence split across reads decodes exactly as when it arrives whole. Bytes that form
/// nothing it knows (invalid UTF-8, unknown or over-long sequences) are dropped, never
/// turned into keys. A lone Escape is ambiguous until the next byte or a pause; the
/// session calls `flush()` after a short pause to deliver it.
public struct KeyDecoder: Sendable {
    /// The longest escape sequence kept while waiting for its end; longer ones are dropped.
    static let maximumSequenceLength = 64
    /// The largest paste delivered; the rest of an enormous paste is dropped.
    static let maximumPasteLength = 4096

    private var pending: [UInt8] = []
    private var paste: [UInt8]?
    private var lastWasCarriageReturn = false

    public init() {}

    /// True when bytes are held back waiting for the rest of a sequence.
    public var hasPending: Bool { !pending.isEmpty }

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
    /// Escape key; an incomplete sequence or character is dropped.
    public mutating func flush() -> [TerminalInput] {
        var output: [TerminalInput] = []
        var index = 0
        while index < pending.count {
            index += decodeOne(at: index, into: &output, final: true) ?? (pending.count - index)
        }
        pending.removeAll()
        return output
    }

    /// Decodes one item starting at `index`; returns the bytes consumed, or nil when the
    /// item is incomplete and more bytes are needed.
    private mutating func decodeOne(at index: Int, into output: inout [TerminalInput], final: Bool) -> Int? {
        if paste != nil { return consumePaste(at: index, into: &output) }
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
        default:
            return decodeUTF8(at: index, into: &output, final: final)
        }
        return 1
    }

    // MARK: UTF-8

    private func decodeUTF8(at index: Int, into output: inout [TerminalInput], final: Bool) -> Int? {
        let lead = pending[index]
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 1  // A continuation byte or an invalid lead: dropped.
        }
        let available = pending.count - index
        for offset in 1..<min(length, available) where pending[index + offset] & 0xC0 != 0x80 {
            return offset  // Broken sequence: drop what was read, resync on this byte.
        }
        if available < length { return final ? available : nil }
        let bytes = pending[index..<(index + length)]
        var iterator = bytes.makeIterator()
        var decoder = Unicode.UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator), UntrustedText.isSafe(scalar) {
            output.append(.key(.character(Character(scalar))))
        }
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
            return decodeCSI(at: index, into: &output, final: final)
        case UInt8(ascii: "O"):
            guard index + 2 < pending.count else { return final ? pending.count - index : nil }
            if let key = Self.ss3Keys[pending[index + 2]] { output.append(.key(key)) }
            return 3
        default:
            // Escape followed by anything else: the Escape key, then that byte on its own
            // (Alt+key arrives this way and is taken as the two keys).
            output.append(.key(.escape))
            return 1
        }
    }

    private static let ss3Keys: [UInt8: Key] = [
        UInt8(ascii: "P"): .function(1), UInt8(ascii: "Q"): .function(2),
        UInt8(ascii: "R"): .function(3), UInt8(ascii: "S"): .function(4),
        UInt8(ascii: "A"): .up, UInt8(ascii: "B"): .down, UInt8(ascii: "C"): .right, UInt8(ascii: "D"): .left,
        UInt8(ascii: "H"): .home, UInt8(ascii: "F"): .end, UInt8(ascii: "M"): .enter,
    ]

    private mutating func decodeCSI(at index: Int, into output: inout [TerminalInput], final: Bool) -> Int? {
        var cursor = index + 2
        while cursor < pending.count {
            let byte = pending[cursor]
            switch byte {
            case 0x20...0x3F:
                cursor += 1
                if cursor - index > Self.maximumSequenceLength { return cursor - index }
                continue
            case 0x40...0x7E:
                let body = Array(pending[(index + 2)..<cursor])
                interpretCSI(body: body, final: byte, into: &output)
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
                paste = []
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

    // MARK: Bracketed paste

    private static let pasteEnd: [UInt8] = Array("\u{1B}[201~".utf8)

    private mutating func consumePaste(at index: Int, into output: inout [TerminalInput]) -> Int? {
        let end = Self.pasteEnd
        var cursor = index
        while cursor < pending.count {
            if pending[cursor] == end[0] {
                let available = min(end.count, pending.count - cursor)
                if Array(pending[cursor..<(cursor + available)]) == Array(end[0..<available]) {
                    if available < end.count {
                        appendPaste(pending[index..<cursor])
                        return cursor == index ? nil : cursor - index
                    }
                    appendPaste(pending[index..<cursor])
                    let text = UntrustedText(String(decoding: paste ?? [], as: UTF8.self)).sanitized
                    paste = nil
                    if !text.isEmpty { output.append(.key(.paste(text))) }
                    return cursor - index + end.count
                }
            }
            cursor += 1
        }
        appendPaste(pending[index..<cursor])
        return cursor - index
    }

    private mutating func appendPaste(_ bytes: ArraySlice<UInt8>) {
        let room = Self.maximumPasteLength - (paste?.count ?? 0)
        if room > 0 { paste?.append(contentsOf: bytes.prefix(room)) }
    }
}
