import KioskCore

/// Turns a document into the bytes of an 80 mm thermal printer: ESC/POS commands with
/// GB18030 text, wrapped by display width at the paper's column count (a Chinese
/// character takes two columns), headings bold at double size, a cut at the end. Text is
/// stripped of control characters, so what a document says can never become a command.
public struct ReceiptEncoder: Sendable {
    /// Characters per line in the normal font (48 on 80 mm paper with font A).
    public let columns: Int

    /// The most bytes a QR code holds at the encoder's error correction (version 40, level
    /// M, byte mode). A longer text is printed as centred text instead: no printer could
    /// draw it, and its length would not fit the command's two length bytes.
    public static let qrCapacity = 2331

    public init(columns: Int = 48) {
        self.columns = columns
    }

    enum Command {
        static let initialize: [UInt8] = [0x1B, 0x40]
        /// FS &: Chinese character mode, so two-byte GB18030 sequences print as hanzi.
        static let chineseMode: [UInt8] = [0x1C, 0x26]
        static let alignLeft: [UInt8] = [0x1B, 0x61, 0x00]
        static let alignCenter: [UInt8] = [0x1B, 0x61, 0x01]
        static let boldOn: [UInt8] = [0x1B, 0x45, 0x01]
        static let boldOff: [UInt8] = [0x1B, 0x45, 0x00]
        /// GS ! and FS !: double width and height, for ASCII and for hanzi.
        static let doubleSize: [UInt8] = [0x1D, 0x21, 0x11, 0x1C, 0x21, 0x0C]
        static let normalSize: [UInt8] = [0x1D, 0x21, 0x00, 0x1C, 0x21, 0x00]
        /// GS V B n: feed n lines, then a partial cut.
        static let feedAndCut: [UInt8] = [0x1D, 0x56, 0x42, 0x04]
        static let lineFeed: UInt8 = 0x0A

        /// A QR code drawn by the printer (`GS ( k`, function 165 model 2, 181 module size
        /// 6, 169 error correction M, 180 store the data, 181 print it), then a line feed.
        static func qrCode(_ data: [UInt8]) -> [UInt8] {
            let stored = data.count + 3
            return [0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]
                + [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06]
                + [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31]
                + [0x1D, 0x28, 0x6B, UInt8(stored & 0xFF), UInt8(stored >> 8), 0x31, 0x50, 0x30] + data
                + [0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]
                + [lineFeed]
        }
    }

    /// The printer bytes of `document`.
    public func encode(_ document: PrintDocument) -> [UInt8] {
        var bytes = Command.initialize + Command.chineseMode
        func lines(_ text: String, width: Int) {
            // Text never carries a control character to the printer: an ESC, GS or FS in a
            // name or a template would be read as a command (cut the paper, change the size).
            let text = UntrustedText(text).sanitized
            for line in GuideText.wrap(text, width: width, indent: 0) {
                bytes += GB18030.encode(line)
                bytes.append(Command.lineFeed)
            }
            if text.isEmpty { bytes.append(Command.lineFeed) }
        }
        for block in document.blocks {
            switch block {
            case .heading(let text), .reprintMark(let text):
                bytes += Command.alignCenter + Command.boldOn + Command.doubleSize
                lines(text, width: columns / 2)
                bytes += Command.normalSize + Command.boldOff + Command.alignLeft
            case .centered(let text):
                bytes += Command.alignCenter
                lines(text, width: columns)
                bytes += Command.alignLeft
            case .line(let text):
                lines(text, width: columns)
            case .rule:
                bytes += Array(repeating: UInt8(ascii: "-"), count: columns)
                bytes.append(Command.lineFeed)
            case .blank:
                bytes.append(Command.lineFeed)
            case .qrCode(let text) where text.utf8.count > Self.qrCapacity:
                bytes += Command.alignCenter
                lines(text, width: columns)
                bytes += Command.alignLeft
            case .qrCode(let text):
                bytes += Command.alignCenter + Command.qrCode(Array(text.utf8)) + Command.alignLeft
            }
        }
        return bytes + Command.feedAndCut
    }
}
