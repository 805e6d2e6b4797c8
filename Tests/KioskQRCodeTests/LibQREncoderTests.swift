import Foundation
import KioskCore
import KioskQRCode
import KioskTesting
import Testing

/// The payment QR code as the terminal draws it, read back by an independent decoder
/// (Debian's zbarimg) from an image made of the half-block text alone.
@Suite("QR codes")
struct LibQREncoderTests {
    static let zbarimg = "/usr/bin/zbarimg"

    @Test("An order's URL drawn in half blocks with a quiet zone decodes back to the URL", .enabled(if: FileManager.default.isExecutableFile(atPath: zbarimg)))
    func halfBlocksDecodeBack() throws {
        // Given a pay URL encoded by libqrencode and drawn as the terminal draws it
        let url = "https://pay.kioskd.invalid/o/PO00000042"
        let matrix = try #require(LibQREncoder().encode(url))
        let lines = matrix.halfBlockLines()
        // Then it fits an 80×24 screen beside the amount: at most 17 rows and 40 columns
        #expect(lines.count <= 17)
        #expect(lines.allSatisfy { $0.count <= 40 })
        // When the text is turned back into pixels (each cell 2 modules high) and decoded
        let directory = try TemporaryDirectory()
        let image = directory.file("qr.pgm")
        try HalfBlockImage.pgm(from: lines, scale: 4).write(to: URL(fileURLWithPath: image))
        let (status, output) = try Subprocess.run(Self.zbarimg, ["--quiet", "--raw", "--nodbus", image])
        // Then zbarimg reads the URL
        #expect(status == 0)
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == url)
    }

    @Test("The half-block lines keep the modules: every cell says which of its two modules are dark")
    func halfBlockCells() {
        // Given a 2×2 code, dark on the diagonal
        let matrix = QRMatrix(size: 2, modules: [true, false, false, true])
        // When drawn without a quiet zone / Then upper and lower halves follow the modules
        #expect(matrix.halfBlockLines(quietZone: 0) == ["▀▄"])
        // And with a quiet zone of one module, light cells surround it
        #expect(matrix.halfBlockLines(quietZone: 1) == [" ▄  ", "  ▀ "])
    }
}
