import KioskControl
import NIOCore
import Testing

/// Runs bytes through the decoder as one buffer, byte by byte, and split at every point.
func framesEveryWay(_ bytes: [UInt8]) throws -> [[String]] {
    var ways: [[[UInt8]]] = [[bytes], bytes.map { [$0] }]
    for split in 0...bytes.count { ways.append([Array(bytes[..<split]), Array(bytes[split...])]) }
    return try ways.map { chunks in
        let processor = NIOSingleStepByteToMessageProcessor(VarlinkFrameDecoder(maximumLength: 64))
        var frames: [String] = []
        for chunk in chunks {
            try processor.process(buffer: ByteBuffer(bytes: chunk)) { frames.append(String(buffer: $0)) }
        }
        return frames
    }
}

@Suite("Varlink framing")
struct VarlinkFrameDecoderTests {
    @Test("NUL-terminated messages come out whole however the bytes arrive")
    func splits() throws {
        let bytes = Array(#"{"method":"a.B"}"#.utf8) + [0] + Array("{}".utf8) + [0] + Array("{".utf8)
        for frames in try framesEveryWay(bytes) {
            #expect(frames == [#"{"method":"a.B"}"#, "{}"])
        }
    }

    @Test("A message longer than the limit is an error, not an ever-growing buffer")
    func tooLong() {
        let processor = NIOSingleStepByteToMessageProcessor(VarlinkFrameDecoder(maximumLength: 64))
        #expect(throws: VarlinkFrameDecoder.FrameTooLong.self) {
            try processor.process(buffer: ByteBuffer(bytes: [UInt8](repeating: 0x41, count: 100))) { _ in }
        }
    }
}
