import Foundation
import KioskCore
import Testing

@Suite("Resident ID card reader protocol")
struct IDCardReaderTests {
    static let today = CalendarDate(year: 2026, month: 12, day: 2)!
    static let card = CardIdentity(
        name: "张三丰", sex: "1", ethnicity: "01", birthDate: CalendarDate(year: 1949, month: 12, day: 31)!,
        address: "北京市朝阳区建国路88号", idNumber: "11010519491231002X", authority: "北京市公安局朝阳分局",
        validFrom: "20200101", validUntil: "长期"
    )

    /// A reader's answer frame: status 00 00 `status`, then `data`.
    static func answer(_ status: UInt8, _ data: [UInt8] = []) -> [UInt8] {
        IDCardProtocol.frame(body: [0, 0, status] + data)
    }

    static var readAnswer: [UInt8] {
        answer(0x90, [0x01, 0x00, 0x04, 0x00] + card.textBlock + Array(repeating: 0x77, count: 1024))
    }

    @Test("Commands are framed with the preamble, length and XOR checksum")
    func commandFrames() {
        #expect(IDCardProtocol.frame(.find) == [0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x01, 0x22])
        #expect(IDCardProtocol.frame(.select) == [0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x20, 0x02, 0x21])
        #expect(IDCardProtocol.frame(.read) == [0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x03, 0x30, 0x01, 0x32])
    }

    @Test("Answers decode the same fed byte by byte, all at once and split at every point, after garbage")
    func decoderSplits() {
        // Given garbage (with a false start of a preamble), a find answer and a read answer
        let stream = [0x00, 0xAA, 0xAA, 0x13] + Self.answer(0x9F, [0, 0, 0, 0]) + Self.readAnswer
        func decode(_ chunks: [[UInt8]]) -> [Result<IDCardProtocol.Response, IDCardProtocol.FrameError>] {
            var decoder = IDCardResponseDecoder()
            return chunks.flatMap { decoder.feed($0) }
        }
        let whole = decode([stream])
        #expect(whole.count == 2)
        guard case .success(let found) = whole.first, case .success(let read) = whole.last else {
            Issue.record("not decoded: \(whole)")
            return
        }
        #expect(found.status == 0x9F)
        #expect(read.status == 0x90 && read.data.count == 4 + 256 + 1024)
        // When fed byte by byte / Then the same
        #expect(decode(stream.map { [$0] }) == whole)
        // When split at every point / Then the same
        for split in 0...stream.count {
            #expect(decode([Array(stream[..<split]), Array(stream[split...])]) == whole, "split at \(split)")
        }
    }

    @Test("A bad checksum is reported and the next answer still decodes; an impossible length is dropped")
    func decoderErrors() {
        var corrupted = Self.readAnswer
        corrupted[corrupted.count - 1] ^= 0xFF
        var decoder = IDCardResponseDecoder()
        let results = decoder.feed(corrupted + Self.answer(0x80))
        #expect(results.first == .failure(.checksum))
        #expect(results.last == .success(IDCardProtocol.Response(status: 0x80, data: [])))
        var lengths = IDCardResponseDecoder()
        let huge = lengths.feed(IDCardProtocol.preamble + [0xFF, 0xFF, 0, 0, 0x90] + Self.answer(0x9F, [0, 0, 0, 0]))
        #expect(huge.first == .failure(.length(0xFFFF)))
        #expect(huge.last == .success(IDCardProtocol.Response(status: 0x9F, data: [0, 0, 0, 0])))
    }

    @Test("The text block gives the card's fields; a block without a valid ID number gives nothing")
    func textBlock() {
        #expect(CardIdentity(textBlock: Self.card.textBlock, today: Self.today) == Self.card)
        var other = Self.card
        other.idNumber = "110105194912310021"  // wrong check character
        #expect(CardIdentity(textBlock: other.textBlock, today: Self.today) == nil)
        #expect(CardIdentity(textBlock: Array(Self.card.textBlock.prefix(100)), today: Self.today) == nil)
        #expect(Self.card.masked == "张** 1101**********002X")
    }

    @Test("A card is found, selected, read and reported once while it lies there; again after it was taken away")
    func pollingMachine() {
        // Given a machine polling every 400 ms
        var now = MonotonicInstant(offset: .zero)
        var machine = IDCardReaderMachine(at: now)
        var step = machine.start(at: now)
        #expect(step.send == IDCardProtocol.frame(.find))
        func answer(_ bytes: [UInt8]) -> IDCardReaderMachine.Step {
            var decoder = IDCardResponseDecoder()
            return machine.handle(decoder.feed(bytes)[0], at: now, today: Self.today)
        }
        // When a card lies there
        step = answer(Self.answer(0x9F, [0, 0, 0, 0]))
        #expect(step.send == IDCardProtocol.frame(.select))
        step = answer(Self.answer(0x90, Array(repeating: 0, count: 8)))
        #expect(step.send == IDCardProtocol.frame(.read))
        step = answer(Self.readAnswer)
        // Then it is reported once
        #expect(step.events == [.cardRead(Self.card)])
        #expect(step.send == nil && step.nextDeadline == now.advanced(by: .milliseconds(400)))
        // When the next poll finds it still there / Then it is not reported again
        now = step.nextDeadline
        #expect(machine.tick(at: now).send == IDCardProtocol.frame(.find))
        _ = answer(Self.answer(0x9F, [0, 0, 0, 0]))
        _ = answer(Self.answer(0x90, Array(repeating: 0, count: 8)))
        #expect(answer(Self.readAnswer).events == [])
        // When it is taken away and laid down again / Then it is reported again
        now = now.advanced(by: .milliseconds(400))
        _ = machine.tick(at: now)
        #expect(answer(Self.answer(0x80)).events == [])
        now = now.advanced(by: .milliseconds(400))
        _ = machine.tick(at: now)
        _ = answer(Self.answer(0x9F, [0, 0, 0, 0]))
        _ = answer(Self.answer(0x90, Array(repeating: 0, count: 8)))
        #expect(answer(Self.readAnswer).events == [.cardRead(Self.card)])
    }

    @Test("A card taken away mid-read, a bad checksum and a silent reader report no card; silence is reported once")
    func pollingFaults() {
        var now = MonotonicInstant(offset: .zero)
        var machine = IDCardReaderMachine(at: now)
        _ = machine.start(at: now)
        var decoder = IDCardResponseDecoder()
        // A read that fails (the card was taken away) reports nothing
        _ = machine.handle(decoder.feed(Self.answer(0x9F, [0, 0, 0, 0]))[0], at: now, today: Self.today)
        _ = machine.handle(decoder.feed(Self.answer(0x90, Array(repeating: 0, count: 8)))[0], at: now, today: Self.today)
        #expect(machine.handle(decoder.feed(Self.answer(0x41))[0], at: now, today: Self.today).events == [])
        // A frame with a bad checksum reports nothing
        now = now.advanced(by: .seconds(1))
        _ = machine.tick(at: now)
        #expect(machine.handle(.failure(.checksum), at: now, today: Self.today).events == [])
        // Three unanswered polls make the reader silent, reported once
        var events: [IDCardReaderMachine.Event] = []
        for _ in 0..<5 {
            now = now.advanced(by: .seconds(3))
            events += machine.tick(at: now).events
        }
        #expect(events == [.readerSilent])
        // And its next answer says it answers again
        now = now.advanced(by: .seconds(3))
        _ = machine.tick(at: now)
        #expect(machine.handle(decoder.feed(Self.answer(0x80))[0], at: now, today: Self.today).events == [.readerAnswering])
    }
}

@Suite("ID card in a session")
struct IDCardSessionTests {
    @Test("A card laid on the reader at the attract screen starts a session and proves the person until it ends")
    func cardStartsASession() {
        // Given a terminal showing the attract screen
        var state = MenuState(profile: .citizen)
        // When a card is read
        let effects = state.handle(.identityRead(IDCardReaderTests.card))
        // Then a session starts, the person is proved, and the screen says so
        #expect(effects == [.sessionStarted])
        #expect(state.screen == .home)
        #expect(state.identity == IDCardReaderTests.card)
        #expect(state.notice == "identity.read")
        // When the session ends / Then nothing of the card is left
        _ = state.handle(.reset)
        #expect(state.identity == nil)
    }

    @Test("A card read on the insurance lookup's proof screen opens its form with the ID and name, each still confirmed with Enter")
    func cardFillsTheForm() {
        // Given the social-insurance lookup, which asks for proof first
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        let digit = Character(String(state.items.firstIndex(of: .socialInsurance)! + 1))
        _ = state.handle(.key(.character(digit)))
        #expect(state.screen == .proveIdentity(.insurance))
        // When a card is read
        #expect(state.handle(.identityRead(IDCardReaderTests.card)).isEmpty)
        // Then the ID field holds the card's number and the name field its name
        guard case .form(let form, _) = state.screen else {
            Issue.record("not a form: \(state.screen)")
            return
        }
        #expect(form.inputs[FormFieldID.applicantID] == "11010519491231002X")
        #expect(form.inputs[FormFieldID.applicantName] == "张三丰")
        #expect(state.notice == "identity.filled")
    }
}
