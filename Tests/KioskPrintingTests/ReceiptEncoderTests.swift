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
}

extension Array where Element: Equatable {
    func contains(sequence: [Element]) -> Bool {
        guard !sequence.isEmpty, sequence.count <= count else { return sequence.isEmpty }
        return (0...(count - sequence.count)).contains { Array(self[$0..<$0 + sequence.count]) == sequence }
    }
}
