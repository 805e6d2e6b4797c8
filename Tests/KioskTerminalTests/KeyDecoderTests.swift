import KioskCore
import KioskTerminal
import KioskTesting
import Testing

/// Feeds `bytes` to a fresh decoder in every way it can arrive: all at once, one byte at a
/// time, and split in two at every point; returns the inputs of each way, flushed.
func decodeEveryWay(_ bytes: [UInt8]) -> [[TerminalInput]] {
    var results: [[TerminalInput]] = []
    var whole = KeyDecoder()
    results.append(whole.feed(bytes) + whole.flush())
    var drip = KeyDecoder()
    var dripped: [TerminalInput] = []
    for byte in bytes { dripped += drip.feed([byte]) }
    results.append(dripped + drip.flush())
    for split in 0...bytes.count {
        var decoder = KeyDecoder()
        let inputs = decoder.feed(bytes[..<split]) + decoder.feed(bytes[split...]) + decoder.flush()
        results.append(inputs)
    }
    return results
}

func keys(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Key decoder")
struct KeyDecoderTests {
    static let cases: [(String, [UInt8], [TerminalInput])] = [
        ("digits", keys("12"), [.key(.character("1")), .key(.character("2"))]),
        ("arrows (CSI)", keys("\u{1B}[A\u{1B}[B\u{1B}[C\u{1B}[D"), [.key(.up), .key(.down), .key(.right), .key(.left)]),
        ("arrows (SS3)", keys("\u{1B}OA\u{1B}OD"), [.key(.up), .key(.left)]),
        ("arrows with modifiers", keys("\u{1B}[1;5A"), [.key(.up)]),
        ("Home End PgUp PgDn Delete", keys("\u{1B}[H\u{1B}[F\u{1B}[5~\u{1B}[6~\u{1B}[3~"),
         [.key(.home), .key(.end), .key(.pageUp), .key(.pageDown), .key(.delete)]),
        ("F1 F4 (SS3), F5 F12 (CSI)", keys("\u{1B}OP\u{1B}OS\u{1B}[15~\u{1B}[24~"),
         [.key(.function(1)), .key(.function(4)), .key(.function(5)), .key(.function(12))]),
        ("Enter as CR, CR LF as one", [0x0D, 0x0D, 0x0A], [.key(.enter), .key(.enter)]),
        ("Backspace both ways, Tab", [0x7F, 0x08, 0x09], [.key(.backspace), .key(.backspace), .key(.tab)]),
        ("Chinese from an input method", keys("社保"), [.key(.character("社")), .key(.character("保"))]),
        ("control keys are input", [0x03, 0x1A, 0x1C, 0x13],
         [.key(.control(0x03)), .key(.control(0x1A)), .key(.control(0x1C)), .key(.control(0x13))]),
        ("SGR mouse press, release ignored", keys("\u{1B}[<0;11;7M\u{1B}[<0;11;7m"),
         [.key(.click(GridPosition(row: 6, column: 10)))]),
        ("wheel ignored", keys("\u{1B}[<64;1;1M"), []),
        ("cursor position report is not a key", keys("\u{1B}[24;80R"), [.report(.cursorPosition(row: 24, column: 80))]),
        ("device attributes reply is not a key", keys("\u{1B}[?1;2c"), [.report(.deviceAttributes([1, 2]))]),
        ("bracketed paste", keys("\u{1B}[200~粘贴\u{1B}x\u{1B}[201~1"), [.key(.paste("粘贴x")), .key(.character("1"))]),
        ("invalid UTF-8 dropped", [0xFF, 0x31, 0xC3, 0x28, 0xE4, 0xB8, 0x32], [.key(.character("1")), .key(.character("(")), .key(.character("2"))]),
        ("unknown sequences dropped", keys("\u{1B}[99z\u{1B}[I5"), [.key(.character("5"))]),
        ("C1 CSI as UTF-8 consumed whole and dropped", [0xC2, 0x9B, 0x41, 0x35], [.key(.character("5"))]),
        // Control strings and 8-bit controls (issue 15): consumed whole, never keys.
        ("OSC 52 clipboard string on the home screen, BEL-terminated", keys("\u{1B}]52;c;MTIzNDU2Nzg5\u{07}2"), [.key(.character("2"))]),
        ("OSC 11 colour reply, ST-terminated, inside typing", keys("ab\u{1B}]11;rgb:0000/0000/0000\u{1B}\\c"),
         [.key(.character("a")), .key(.character("b")), .key(.character("c"))]),
        ("DCS, APC, PM and SOS strings", keys("\u{1B}P1$r0m\u{1B}\\\u{1B}_apc\u{1B}\\\u{1B}^pm\u{1B}\\\u{1B}Xsos\u{1B}\\7"), [.key(.character("7"))]),
        ("8-bit OSC with 8-bit ST", [0x9D] + keys("52;c;YWJj") + [0x9C] + keys("3"), [.key(.character("3"))]),
        ("8-bit CSI with parameters is not typed", [0x9B] + keys("1;2H") + keys("4"), [.key(.character("4"))]),
        ("8-bit SS3 is dropped with its key byte", [0x8F] + keys("P6"), [.key(.character("6"))]),
        ("a string holding 东 (its last byte is 0x9C) ends at its BEL, not inside the character",
         keys("\u{1B}]0;东京\u{07}8"), [.key(.character("8"))]),
        ("UTF-8 ST ends a string", keys("\u{1B}]0;x") + [0xC2, 0x9C] + keys("9"), [.key(.character("9"))]),
        ("an unterminated string ends at the next escape sequence, which is read", keys("\u{1B}]52;c;abc\u{1B}[A"), [.key(.up)]),
        ("CAN cancels a string", keys("\u{1B}]2;title\u{18}5"), [.key(.character("5"))]),
        ("a stray string terminator is nothing", keys("\u{1B}\\1"), [.key(.character("1"))]),
        ("a paste without its end is delivered at the pause", keys("\u{1B}[200~abc"), [.key(.paste("abc"))]),
        ("Escape then a key", keys("\u{1B}\u{1B}[A"), [.key(.escape), .key(.up)]),
    ]

    @Test("Each sequence decodes the same whole, byte by byte, and split at every point",
          arguments: cases.indices)
    func everyWay(index: Int) {
        let (_, bytes, expected) = Self.cases[index]
        // Given the bytes / When fed in every way / Then the same inputs come out
        for result in decodeEveryWay(bytes) {
            #expect(result == expected, "case \(Self.cases[index].0)")
        }
    }

    @Test("A lone Escape waits for more bytes and becomes the Escape key when flushed")
    func loneEscape() {
        var decoder = KeyDecoder()
        #expect(decoder.feed([0x1B]).isEmpty)
        #expect(decoder.hasPending)
        #expect(decoder.flush() == [.key(.escape)])
        #expect(!decoder.hasPending)
    }

    @Test("A lone paste start no longer silences the terminal: the pause ends it, and keys after it are keys")
    func lonePasteStart() {
        // Given a decoder that received only the bracketed-paste start
        var decoder = KeyDecoder()
        #expect(decoder.feed(keys("\u{1B}[200~")).isEmpty)
        // Then it holds the paste open, so the session flushes after the pause
        #expect(decoder.hasPending)
        // When the pause comes / Then nothing was pasted and the next keys are keys again
        #expect(decoder.flush().isEmpty)
        #expect(!decoder.hasPending)
        #expect(decoder.feed(keys("12")) == [.key(.character("1")), .key(.character("2"))])
    }

    @Test("A paste larger than the cap is delivered at the cap and the rest of it is dropped")
    func pasteOverCap() {
        // Given a paste of 5,000 letters and then a key
        let bytes = keys("\u{1B}[200~") + [UInt8](repeating: UInt8(ascii: "a"), count: 5_000) + keys("\u{1B}[201~1")
        // When it arrives in every way / Then 4,096 letters are pasted, the rest dropped, and the key is a key
        for result in decodeEveryWay(bytes) {
            #expect(result == [.key(.paste(String(repeating: "a", count: 4_096))), .key(.character("1"))])
        }
    }

    @Test("A control string longer than the cap is over at the cap, and the decoder holds nothing")
    func endlessString() {
        // Given an OSC string that never ends
        var decoder = KeyDecoder()
        let flood = keys("\u{1B}]52;c;") + [UInt8](repeating: UInt8(ascii: "x"), count: 70_000)
        // When it is fed / Then the cap ended it: what follows the cap is read again, nothing is held
        let inputs = decoder.feed(flood)
        #expect(inputs.count == flood.count - 65_537)
        #expect(!decoder.hasPending)
        #expect(decoder.feed(keys("\u{1B}[B")) == [.key(.down)])
    }

    @Test("Resetting forgets an open paste or string, as a new session starts")
    func resetClears() {
        var decoder = KeyDecoder()
        _ = decoder.feed(keys("\u{1B}[200~secret"))
        decoder.reset()
        #expect(!decoder.hasPending)
        #expect(decoder.feed(keys("1")) == [.key(.character("1"))])
        _ = decoder.feed(keys("\u{1B}]52;c;abc"))
        decoder.reset()
        #expect(decoder.feed(keys("2")) == [.key(.character("2"))])
    }

    @Test("An endless escape sequence is dropped instead of buffered without bound")
    func endlessSequence() {
        var decoder = KeyDecoder()
        let flood = [0x1B, UInt8(ascii: "[")] + [UInt8](repeating: UInt8(ascii: "1"), count: 10_000) + [UInt8(ascii: "7")]
        let inputs = decoder.feed(flood)
        #expect(!decoder.hasPending || decoder.flush().count < 100)
        #expect(inputs.count < 10_000)
    }

    @Test("Random bytes decode the same whole, byte by byte and split anywhere, and never become control characters", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func randomBytes(seed: UInt64) {
        // Given 4 KiB of seeded random bytes, rich in ESC, CSI parts, NUL and UTF-8 lead bytes
        var generator = SeededGenerator(seed: seed)
        let alphabet: [UInt8] = [0x1B, 0x5B, 0x4F, 0x3B, 0x3C, 0x7E, 0x4D, 0x6D, 0x00, 0x0D, 0x0A, 0x7F, 0xE4, 0xB8, 0x80, 0x32, 0x30]
        let bytes = (0..<4096).map { _ in
            Bool.random(using: &generator) ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
        }
        // When it is decoded all at once, one byte at a time, and in random chunks
        func decode(_ chunks: [ArraySlice<UInt8>]) -> [TerminalInput] {
            var decoder = KeyDecoder()
            var inputs = chunks.flatMap { decoder.feed($0) }
            inputs += decoder.flush()
            #expect(!decoder.hasPending)
            return inputs
        }
        let whole = decode([bytes[...]])
        let single = decode(bytes.indices.map { bytes[$0...$0] })
        var chunks: [ArraySlice<UInt8>] = []
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 1...32, using: &generator))
            chunks.append(bytes[start..<end])
            start = end
        }
        let split = decode(chunks)
        // Then the three agree, and no key is a control character or an unsafe paste
        #expect(single == whole)
        #expect(split == whole)
        for input in whole {
            switch input {
            case .key(.character(let character)):
                #expect(character.unicodeScalars.allSatisfy(UntrustedText.isSafe))
            case .key(.paste(let text)):
                #expect(text.unicodeScalars.allSatisfy { UntrustedText.isSafe($0) || $0 == "\n" })
            default:
                break
            }
        }
    }
}
