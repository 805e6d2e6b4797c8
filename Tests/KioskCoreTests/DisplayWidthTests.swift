import KioskCore
import Testing

@Suite("Display width")
struct DisplayWidthTests {
    @Test("ASCII letters take one column, CJK ideographs and fullwidth forms two")
    func narrowAndWide() {
        // Given text of each class / When measured / Then the columns are the terminal's
        #expect("Hello".displayWidth == 5)
        #expect("办事指南".displayWidth == 8)
        #expect("ＡＢ".displayWidth == 4)
        #expect("缴费 Pay".displayWidth == 8)
        #expect("한국".displayWidth == 4)
    }

    @Test("Combining marks and zero-width joiners add no column")
    func zeroWidth() {
        #expect("e\u{0301}".displayWidth == 1)
        #expect("a\u{200B}b".displayWidth == 2)
        #expect(DisplayWidth.of(Unicode.Scalar(0x0301)!) == 0)
    }

    @Test("Emoji, ZWJ sequences and flags take two columns as one cluster")
    func emoji() {
        #expect("👍".displayWidth == 2)
        #expect("👨‍👩‍👧".displayWidth == 2)
        #expect("🇨🇳".displayWidth == 2)
        #expect("❤️".displayWidth == 2)
    }

    @Test("Control characters take no column")
    func controls() {
        #expect("\u{1B}[31m".displayWidth == 4)  // ESC itself is 0; "[31m" are 4 printable
        #expect(DisplayWidth.of(Unicode.Scalar(0x07)) == 0)
    }

    @Test("Truncation cuts at a character boundary and never splits a wide character")
    func truncation() {
        // Given a mixed string wider than the room
        let text = "社保公积金查询 Social"
        // When cut to odd and even widths
        for width in 1...12 {
            let cut = text.truncated(toWidth: width)
            // Then it fits, ends with the ellipsis, and holds only whole characters
            #expect(cut.displayWidth <= width)
            #expect(cut.hasSuffix("…"))
        }
        #expect(text.truncated(toWidth: 6) == "社保…")
        #expect(text.truncated(toWidth: 7) == "社保公…")
        #expect("short".truncated(toWidth: 10) == "short")
    }

    @Test("Padding fills to an exact width")
    func padding() {
        #expect("办事".padded(toWidth: 6) == "办事  ")
        #expect("办事指南办事指南".padded(toWidth: 5).displayWidth == 5)
    }
}
