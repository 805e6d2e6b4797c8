import KioskCore
import Testing

@testable import KioskPrinting

@Suite("Receipt encoder")
struct ReceiptEncoderTests {
    @Test("Chinese text is encoded as GB18030: 中 is D6 D0")
    func gb18030() {
        // Given the character 中 / When it is encoded / Then it is GB18030's two bytes
        #expect(GB18030.encode("中") == [0xD6, 0xD0])
        #expect(GB18030.encode("A中1") == [0x41, 0xD6, 0xD0, 0x31])
    }

    @Test("A receipt starts with ESC @ and Chinese mode, makes headings bold and double size, and ends with a cut")
    func structure() {
        // Given a document with a heading and a line
        let document = PrintDocument(blocks: [.heading("受理回执"), .line("申请编号 A-1")])
        // When it is encoded for 48 columns
        let bytes = ReceiptEncoder(columns: 48).encode(document)
        // Then it initialises, enters Chinese mode, has the bold double-size heading and cuts
        #expect(Array(bytes.prefix(4)) == [0x1B, 0x40, 0x1C, 0x26])
        #expect(bytes.contains(sequence: [0x1B, 0x45, 0x01, 0x1D, 0x21, 0x11, 0x1C, 0x21, 0x0C] + GB18030.encode("受理回执")))
        #expect(bytes.contains(sequence: GB18030.encode("申请编号 A-1") + [0x0A]))
        #expect(Array(bytes.suffix(4)) == [0x1D, 0x56, 0x42, 0x04])
    }

    @Test("Lines wrap at the paper's columns by display width: 24 hanzi fill 48 columns")
    func wrapping() {
        // Given a line of 30 Chinese characters (60 columns)
        let text = String(repeating: "办", count: 30)
        // When it is encoded for 48 columns
        let bytes = ReceiptEncoder(columns: 48).encode(PrintDocument(blocks: [.line(text)]))
        // Then it is split into 24 + 6 characters
        #expect(bytes.contains(sequence: GB18030.encode(String(repeating: "办", count: 24)) + [0x0A]))
        #expect(bytes.contains(sequence: [0x0A] + GB18030.encode(String(repeating: "办", count: 6)) + [0x0A]))
    }

    @Test("Text cannot inject printer commands: ESC, GS, FS and other control characters never reach the paper (found by the escpos fuzzer)")
    func controlCharactersAreDropped() {
        // Given text with ESC @ (reset), GS V (cut), ESC ! (size), a tab, a newline and a C1 control
        let document = PrintDocument(blocks: [.line("name\u{1B}@\u{1D}VB\u{0}cut"), .heading("\u{1B}!0big"), .centered("tab\there\nnext\u{85}c1")])
        // When it is encoded
        let bytes = ReceiptEncoder(columns: 48).encode(document)
        // Then the text is printed without them, and the only control bytes are the encoder's own
        #expect(bytes.contains(sequence: Array("name@VBcut".utf8) + [0x0A]))
        #expect(bytes.contains(sequence: Array("!0big".utf8) + [0x0A]))
        #expect(bytes.contains(sequence: Array("tabherenextc1".utf8) + [0x0A]))
        let expected = ReceiptEncoder(columns: 48).encode(
            PrintDocument(blocks: [.line("name@VBcut"), .heading("!0big"), .centered("tabherenextc1")])
        )
        #expect(bytes == expected)
    }

    @Test("A QR code's text too long for any QR code is printed as centred text, not a command whose length overflows")
    func qrCodeTooLong() {
        // Given QR texts at the capacity and beyond the command's two length bytes
        let fits = String(repeating: "a", count: ReceiptEncoder.qrCapacity)
        let tooLong = String(repeating: "b", count: 70_000)
        // When they are encoded (the second stopped the process: its length did not fit a byte)
        let fitting = ReceiptEncoder(columns: 48).encode(PrintDocument(blocks: [.qrCode(fits)]))
        let printed = ReceiptEncoder(columns: 48).encode(PrintDocument(blocks: [.qrCode(tooLong)]))
        // Then the first is a QR code, the second plain text in 48-column lines
        #expect(fitting.contains(sequence: [0x1D, 0x28, 0x6B, UInt8((2331 + 3) & 0xFF), UInt8((2331 + 3) >> 8), 0x31, 0x50, 0x30]))
        #expect(!printed.contains(sequence: [0x1D, 0x28, 0x6B]))
        #expect(printed.contains(sequence: [0x0A] + Array(String(repeating: "b", count: 48).utf8) + [0x0A]))
    }
}

extension Array where Element: Equatable {
    func contains(sequence: [Element]) -> Bool {
        guard !sequence.isEmpty, sequence.count <= count else { return sequence.isEmpty }
        return (0...(count - sequence.count)).contains { Array(self[$0..<$0 + sequence.count]) == sequence }
    }
}
