import KioskCore

/// The ID card reader's response decoder harness (`scripts/fuzz id-card`): the input is
/// what the serial line delivered. Properties: decoding it whole, byte by byte, and split
/// at a point chosen by its first byte gives the same responses and errors; every response
/// taken, framed again, decodes to itself; and after any input and a reset (the machine's
/// timeout), or after any input and a stretch of silence bytes longer than the longest
/// frame, a genuine frame decodes exactly.
@Sendable func idCardFuzz(_ bytes: [UInt8]) {
    typealias Results = [Result<IDCardProtocol.Response, IDCardProtocol.FrameError>]
    var whole = IDCardResponseDecoder()
    let expected = whole.feed(bytes)

    var single = IDCardResponseDecoder()
    var byByte: Results = []
    for byte in bytes { byByte += single.feed(CollectionOfOne(byte)) }
    require(byByte == expected, "byte-by-byte decoding differs from whole decoding")

    let point = bytes.first.map { Int($0) % (bytes.count + 1) } ?? 0
    var split = IDCardResponseDecoder()
    let inTwo = split.feed(bytes[..<point]) + split.feed(bytes[point...])
    require(inTwo == expected, "decoding split at \(point) differs from whole decoding")

    for case .success(let response) in expected {
        var again = IDCardResponseDecoder()
        let reframed = again.feed(IDCardProtocol.frame(body: [0x00, 0x00, response.status] + response.data))
        require(reframed == [.success(response)], "a response framed again decodes differently")
    }

    let genuine = IDCardProtocol.Response(status: IDCardProtocol.Response.cardFound, data: Array(bytes.prefix(32)))
    let frame = IDCardProtocol.frame(body: [0x00, 0x00, genuine.status] + genuine.data)
    whole.reset()
    require(whole.feed(frame) == [.success(genuine)], "after a reset a genuine frame is not decoded")

    // Silence (zeros, never a preamble) longer than any frame ends whatever was pending.
    var resync = IDCardResponseDecoder()
    _ = resync.feed(bytes)
    _ = resync.feed([UInt8](repeating: 0, count: IDCardProtocol.maximumLength + 8))
    require(resync.feed(frame) == [.success(genuine)], "after silence a genuine frame is not decoded")
}
