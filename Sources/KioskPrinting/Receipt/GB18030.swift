import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// GB18030, the encoding of the Chinese font built into thermal receipt printers.
enum GB18030 {
    /// `text` as GB18030 bytes. Encoded with glibc's iconv: Foundation on Linux does not
    /// offer GB18030 as a `String.Encoding`. A character iconv cannot encode (none of
    /// Unicode, in GB18030) would be printed as "?".
    static func encode(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        let converter = iconv_open("GB18030", "UTF-8")
        guard converter != iconv_t(bitPattern: -1) else { return Array(text.utf8).map { $0 < 0x80 ? $0 : 0x3F } }
        defer { iconv_close(converter) }
        for character in text {
            var input = Array(String(character).utf8).map { CChar(bitPattern: $0) }
            var buffer = [CChar](repeating: 0, count: 16)
            let produced: Int? = input.withUnsafeMutableBufferPointer { inputBuffer in
                buffer.withUnsafeMutableBufferPointer { outputBuffer in
                    var inPointer: UnsafeMutablePointer<CChar>? = inputBuffer.baseAddress
                    var inLeft = inputBuffer.count
                    var outPointer: UnsafeMutablePointer<CChar>? = outputBuffer.baseAddress
                    var outLeft = outputBuffer.count
                    guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1 else { return nil }
                    return outputBuffer.count - outLeft
                }
            }
            if let produced {
                output += buffer.prefix(produced).map { UInt8(bitPattern: $0) }
            } else {
                iconv(converter, nil, nil, nil, nil)  // reset the shift state
                output.append(0x3F)
            }
        }
        return output
    }
}
