/// A printable document, independent of the printer's language: the receipt printer
/// turns it into ESC/POS, the document printer into a PDF. Built from a template with
/// personal data already masked, so it can be stored for a reprint.
public struct PrintDocument: Sendable, Hashable, Codable {
    public enum Block: Sendable, Hashable, Codable {
        /// Bold, double size, centred.
        case heading(String)
        /// Centred text.
        case centered(String)
        /// Text wrapped at the paper's width.
        case line(String)
        /// A line across the paper.
        case rule
        case blank
        /// Printed only on a reprint, as a heading ("重印"); dropped otherwise.
        case reprintMark(String)
        /// A QR code of the text, drawn by the printer itself (ESC/POS `GS ( k`); a page
        /// printer prints the text instead.
        case qrCode(String)
    }

    public var blocks: [Block]

    public init(blocks: [Block]) {
        self.blocks = blocks
    }

    /// The placeholder for the job's number, filled in when the job is printed.
    public static let numberPlaceholder = "{number}"
    /// The placeholder for the original's number in a reprint mark.
    public static let reprintOfPlaceholder = "{reprint_of}"

    /// The document as it goes to paper: the job's `number` filled in, and the reprint
    /// marks kept (with the original's number) only when this is a reprint of `reprintOf`.
    public func finalized(number: String, reprintOf: String?) -> PrintDocument {
        func fill(_ text: String) -> String {
            text.replacing(Self.numberPlaceholder, with: number)
                .replacing(Self.reprintOfPlaceholder, with: reprintOf ?? "")
        }
        var result: [Block] = []
        for block in blocks {
            switch block {
            case .heading(let text): result.append(.heading(fill(text)))
            case .centered(let text): result.append(.centered(fill(text)))
            case .line(let text): result.append(.line(fill(text)))
            case .rule, .blank: result.append(block)
            case .qrCode(let text): result.append(.qrCode(fill(text)))
            case .reprintMark(let text): if reprintOf != nil { result.append(.heading(fill(text))) }
            }
        }
        return PrintDocument(blocks: result)
    }

    /// Every text of the document, one per block, for tests and checks.
    public var plainText: String {
        blocks.map { block -> String in
            switch block {
            case .heading(let text), .centered(let text), .line(let text), .reprintMark(let text): text
            case .rule: "---"
            case .blank: ""
            case .qrCode(let text): "[QR] " + text
            }
        }.joined(separator: "\n")
    }
}
