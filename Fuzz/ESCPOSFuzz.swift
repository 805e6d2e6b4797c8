import Glibc
import KioskCore

/// The receipt encoder's harness (`scripts/fuzz escpos`): the input makes a document (its
/// first byte the paper's columns; then blocks separated by 0xFE, each block's first byte
/// its kind and the rest its text, any bytes at all). The output is read back the way a
/// printer reads it. Properties: nothing crashes; the commands in the output are exactly
/// the ones the block structure calls for (text cannot add, change or swallow one); text
/// bytes are well-formed GB18030 with no control byte but the line feed; a QR code's data
/// is its text; every printed line fits the paper at its size; and the text printed is the
/// document's text without control characters (spaces at wrap points aside).
@Sendable func escposFuzz(_ bytes: [UInt8]) {
    guard let first = bytes.first else { return }
    let columns = 24 + Int(first) % 73
    var blocks: [PrintDocument.Block] = []
    for segment in bytes.dropFirst().split(separator: 0xFE, omittingEmptySubsequences: false) {
        let text = String(decoding: segment.dropFirst(), as: UTF8.self)
        switch (segment.first ?? 0) % 7 {
        case 0: blocks.append(.heading(text))
        case 1: blocks.append(.centered(text))
        case 2: blocks.append(.line(text))
        case 3: blocks.append(.rule)
        case 4: blocks.append(.blank)
        case 5: blocks.append(.reprintMark(text))
        default: blocks.append(.qrCode(text))
        }
    }
    let output = ReceiptEncoder(columns: columns).encode(PrintDocument(blocks: blocks))
    let printed = PrinterReading(output)
    require(printed.fault == nil, "the printer would misread the output: \(printed.fault ?? "")")
    let expected = ExpectedReceipt(blocks, columns: columns)
    require(printed.commands == expected.commands, "the commands differ from the block structure's")
    require(printed.lines.allSatisfy { $0.text.displayWidth <= ($0.doubleSize ? columns / 2 : columns) }, "a line is wider than the paper")
    let text = printed.lines.map(\.text).joined().filter { !$0.isWhitespace }
    require(text == expected.text.filter { !$0.isWhitespace }, "the printed text is not the document's")
}

/// The commands the encoder must send for `blocks`, and the text it must print.
private struct ExpectedReceipt {
    var commands: [[UInt8]] = [[0x1B, 0x40], [0x1C, 0x26]]
    var text = ""

    init(_ blocks: [PrintDocument.Block], columns: Int) {
        let center: [UInt8] = [0x1B, 0x61, 0x01], left: [UInt8] = [0x1B, 0x61, 0x00]
        for block in blocks {
            switch block {
            case .heading(let value), .reprintMark(let value):
                commands += [center, [0x1B, 0x45, 0x01], [0x1D, 0x21, 0x11], [0x1C, 0x21, 0x0C]]
                commands += [[0x1D, 0x21, 0x00], [0x1C, 0x21, 0x00], [0x1B, 0x45, 0x00], left]
                text += Self.printable(value)
            case .centered(let value):
                commands += [center, left]
                text += Self.printable(value)
            case .line(let value):
                text += Self.printable(value)
            case .rule:
                text += String(repeating: "-", count: columns)
            case .blank:
                break
            case .qrCode(let value):
                let data = Array(value.utf8)
                guard data.count <= ReceiptEncoder.qrCapacity else {
                    // Too much for any QR code: printed as centred text instead.
                    commands += [center, left]
                    text += Self.printable(value)
                    continue
                }
                let stored = data.count + 3
                commands += [center, [0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00], [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06]]
                commands += [[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31]]
                commands += [[0x1D, 0x28, 0x6B, UInt8(stored & 0xFF), UInt8(stored >> 8), 0x31, 0x50, 0x30] + data]
                commands += [[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30], left]
            }
        }
        commands.append([0x1D, 0x56, 0x42, 0x04])
    }

    /// The text as it may reach paper: no control characters, and what GB18030 cannot
    /// carry as "?" (the encoder's own replacement, read back).
    static func printable(_ value: String) -> String {
        GB18030.decode(GB18030.encode(UntrustedText(value).sanitized))
    }
}

/// The output as an ESC/POS printer in Chinese mode reads it: the commands the encoder
/// uses, line feeds, and text in GB18030. Anything else is a fault.
private struct PrinterReading {
    var commands: [[UInt8]] = []
    var lines: [(text: String, doubleSize: Bool)] = []
    var fault: String?

    init(_ bytes: [UInt8]) {
        var index = 0
        var line: [UInt8] = []
        var doubleSize = false
        func take(_ count: Int) -> [UInt8]? {
            guard index + count <= bytes.count else { return nil }
            defer { index += count }
            return Array(bytes[index..<(index + count)])
        }
        while index < bytes.count, fault == nil {
            let byte = Int(bytes[index])
            let next = index + 1 < bytes.count ? Int(bytes[index + 1]) : -1
            var command: [UInt8]?
            switch (byte, next) {
            case (0x1B, 0x40), (0x1C, 0x26): command = take(2)
            case (0x1B, 0x61), (0x1B, 0x45), (0x1D, 0x21), (0x1C, 0x21): command = take(3)
            case (0x1D, 0x56): command = take(4)
            case (0x1D, 0x28):
                guard index + 4 < bytes.count else { fault = "a cut-off GS ( k"; break }
                command = take(5 + Int(bytes[index + 3]) + Int(bytes[index + 4]) << 8)
            case (0x0A, _):
                lines.append((GB18030.decode(line), doubleSize))
                line = []
                index += 1
                continue
            case (0x00..<0x20, _), (0x7F, _):
                fault = "control byte \(byte) at \(index)"
            case (0x81...0xFE, _):
                // A two-byte (second 40–7E, 80–FE) or four-byte (30–39, 81–FE, 30–39) character.
                let rest = Array(bytes[(index + 1)..<min(bytes.count, index + 4)])
                if rest.count >= 1, (0x40...0xFE).contains(rest[0]), rest[0] != 0x7F {
                    line += take(2)!
                } else if rest.count == 3, (0x30...0x39).contains(rest[0]), (0x81...0xFE).contains(rest[1]), (0x30...0x39).contains(rest[2]) {
                    line += take(4)!
                } else {
                    fault = "ill-formed GB18030 at \(index)"
                }
                continue
            case (0xFF, _), (0x80, _):
                fault = "byte \(byte) outside GB18030 at \(index)"
            default:
                line.append(UInt8(byte))
                index += 1
                continue
            }
            guard fault == nil else { break }
            guard let command else { fault = "a cut-off command at \(index)"; break }
            if command.starts(with: [0x1D, 0x21]) { doubleSize = command[2] != 0 }
            if !line.isEmpty { fault = "text not ended by a line feed before a command at \(index)" }
            commands.append(command)
        }
        if fault == nil, !line.isEmpty { fault = "text after the last line feed" }
    }
}

extension GB18030 {
    /// GB18030 bytes as text, with glibc's iconv; "\u{FFFD}" when they are not GB18030.
    static func decode(_ bytes: [UInt8]) -> String {
        let converter = iconv_open("UTF-8", "GB18030")
        guard converter != iconv_t(bitPattern: -1) else { return "\u{FFFD}" }
        defer { iconv_close(converter) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 4)
        let produced: Int? = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var inPointer = inputBuffer.baseAddress
                var inLeft = inputBuffer.count
                var outPointer = outputBuffer.baseAddress
                var outLeft = outputBuffer.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1 else { return nil }
                return outputBuffer.count - outLeft
            }
        }
        guard let produced else { return "\u{FFFD}" }
        return String(decoding: output.prefix(produced).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
