import Foundation
import KioskCore
import KioskTesting
import Testing

@testable import KioskPrinting

@Suite("Document renderer (PDF)")
struct DocumentRendererTests {
    static let font = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

    static let sample = PrintDocument(blocks: [
        .heading("办事指南"), .centered("Service Guide"), .rule,
        .heading("居民身份证换领"), .line("办理部门 Department：公安局户政科"),
        .line("所需材料 Materials：1. 原居民身份证 2. 户口簿"), .blank, .line("打印号 No.：R-000042"),
    ])

    @Test("The PDF holds the text (pdftotext reads it back) and an embedded CJK font subset (pdffonts)",
          .enabled(if: FileManager.default.fileExists(atPath: font) && FileManager.default.fileExists(atPath: "/usr/bin/pdftotext")))
    func textAndFont() async throws {
        // Given a guide document rendered with the CJK font
        let renderer = try DocumentRenderer(fontPath: Self.font, faceIndex: 1)
        let pdf = renderer.render(Self.sample)
        let directory = try TemporaryDirectory()
        let path = directory.file("guide.pdf")
        try Data(pdf).write(to: URL(fileURLWithPath: path))
        // When poppler reads it
        let text = try await offPool { try Self.run("/usr/bin/pdftotext", ["-layout", path, "-"]) }
        let fonts = try await offPool { try Self.run("/usr/bin/pdffonts", [path]) }
        // Then the Chinese text is there, and the font is an embedded subset
        #expect(text.contains("办事指南"))
        #expect(text.contains("居民身份证换领"))
        #expect(text.contains("R-000042"))
        let fontLine = fonts.split(separator: "\n").first { $0.contains("CID TrueType") }
        #expect(fontLine?.contains("yes yes") == true, "pdffonts: \(fonts)")
        #expect(pdf.count < 200_000)
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readAll()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

extension DocumentRendererTests {
    /// Writes the sample guide to KIOSKD_SAMPLE_PDF when set, for a look with pdftoppm.
    @Test("The sample guide can be written out for a visual check", .enabled(if: ProcessInfo.processInfo.environment["KIOSKD_SAMPLE_PDF"] != nil))
    func writeSample() throws {
        let renderer = try DocumentRenderer(fontPath: Self.font, faceIndex: 1)
        try Data(renderer.render(Self.sample)).write(to: URL(fileURLWithPath: ProcessInfo.processInfo.environment["KIOSKD_SAMPLE_PDF"]!))
    }
}
