import KioskCore

/// The key decoder's harness (`scripts/fuzz key-decoder`). The input is split into reads
/// at points chosen by its first byte, so split escape sequences are explored too. The
/// properties checked: the decoder never crashes, never holds more than a bounded amount,
/// and decoding the same bytes whole or in pieces gives the same keys; after a flush nothing
/// is held; and the input's bytes inside an OSC string (without the bytes that end one)
/// are never keys.
@Sendable func keyDecoderFuzz(_ bytes: [UInt8]) {
    guard let stride = bytes.first.map({ Int($0 % 7) + 1 }) else { return }
    var whole = KeyDecoder()
    let expected = whole.feed(bytes) + whole.flush()
    var pieces = KeyDecoder()
    var got: [TerminalInput] = []
    var index = 0
    while index < bytes.count {
        let end = min(bytes.count, index + stride)
        got += pieces.feed(bytes[index..<end])
        index = end
    }
    got += pieces.flush()
    // Bracketed paste may bound differently per read only in what it drops; keys must match.
    if !expected.contains(where: { if case .key(.paste) = $0 { true } else { false } }) {
        require(got == expected, "split decoding differs from whole decoding")
    }
    require(!whole.hasPending && !pieces.hasPending, "a flush left something held")
    // The same bytes as the payload of a control string: nothing of them may be a key.
    let enders: Set<UInt8> = [0x07, 0x18, 0x1A, 0x1B, 0x9C, 0xC2]
    var string = KeyDecoder()
    let inside = string.feed([0x1B, UInt8(ascii: "]")] + bytes.filter { !enders.contains($0) } + [0x07])
    require(inside.isEmpty && !string.hasPending, "a control string's payload became input")
}
