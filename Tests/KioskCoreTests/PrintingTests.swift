import Foundation
import KioskCore
import KioskTesting
import Testing

@Suite("Printed documents")
struct PrintingTests {
    static let idNumber = "110101199003071234"
    static let phone = "13812345678"

    static let slip = AcceptanceSlip(
        applicationNumber: "A-20261123-0001", itemID: "birth-cert", itemName: LocalizedText(chinese: "出生医学证明", english: "Birth certificate"),
        applicantName: "张三丰", applicantID: idNumber, submittedAt: Date(timeIntervalSince1970: 1_795_000_000), timeLimitDays: 5,
        kind: .promised, delivery: .ems, terminal: "hall-1"
    )
    static let receipt = PaymentReceipt(
        receiptNumber: "P-000009", itemName: LocalizedText(chinese: "水费", english: "Water"), amountFen: 12_345, channel: "wechat",
        maskedAccount: "******0001", paidAt: Date(timeIntervalSince1970: 1_795_000_000), terminal: "hall-1", sequence: 77,
        hash: String(repeating: "ab", count: 32)
    )

    @Test("The settlement slip prints the day, period, terminals, totals by item and channel, sequences, short heads, reversals and counts, bilingual")
    func settlementSlip() throws {
        // Given a day with two water bills and one reversed, and a zero day
        let settlement = DailySettlement(
            day: "2026-11-23", periodStart: Date(timeIntervalSince1970: 1_795_362_900),
            periodEnd: Date(timeIntervalSince1970: 1_795_449_300), terminals: ["hall-1", "hall-2"],
            totals: [DailySettlement.Total(item: "bill-water", channel: "wechat", count: 2, paymentFen: 24_690, reversalCount: 1,
                                           reversalFen: -12_345)],
            spans: [DailySettlement.Span(terminal: "hall-1", firstSequence: 12, lastSequence: 14, head: String(repeating: "3f", count: 32))],
            reversals: [DailySettlement.Reversal(terminal: "hall-1", sequence: 14, reverses: 12, item: "bill-water", amountFen: -12_345)],
            unprintedReceipts: 1, paidAfterSession: 2, reportHash: String(repeating: "c4", count: 32)
        )
        let zero = DailySettlement(day: "2026-11-24", periodStart: settlement.periodEnd, periodEnd: settlement.periodEnd.addingTimeInterval(86_400),
                                   terminals: ["hall-1"], totals: [], reportHash: String(repeating: "00", count: 32))
        // When both are rendered with the shipped template
        let text = PrintTemplates.shipped().document(for: settlement, printedAt: Date(timeIntervalSince1970: 1_795_450_000)).plainText
        let lines = text.split(separator: "\n").map(String.init)
        // Then each value has its Chinese and English label, amounts in ¥, hashes short
        for expected in [
            "日结单", "日期 Day：2026-11-23", "时段 Period：2026-11-22 23:55 – 2026-11-23 23:55", "终端 Terminals：hall-1, hall-2",
            "bill-water wechat ×2 ¥246.90 / ×1 -¥123.45", "缴费 Payments：2  ¥246.90", "冲正 Reversals：1  -¥123.45", "净额 Net：¥123.45",
            "hall-1 #12–#14 3f3f3f3f3f3f3f3f", "hall-1 #14 → #12 bill-water -¥123.45", "未打印凭证 Unprinted receipts：1",
            "会话后到账 Paid after session：2", "校验码 Report hash：c4c4c4c4c4c4c4c4",
        ] {
            #expect(lines.contains(expected), "\(expected) not in \(lines)")
        }
        // And a zero day says so instead of leaving its lists out
        let zeroText = PrintTemplates.shipped().document(for: zero, printedAt: zero.periodEnd).plainText
        #expect(zeroText.contains("缴费 Payments：0  ¥0.00") && zeroText.contains("\n—\n"), "\(zeroText)")
    }

    @Test("ID numbers, phones and names are masked as on the design's examples")
    func masking() {
        #expect(Masking.idNumber(Self.idNumber) == "1101**********1234")
        #expect(Masking.idNumber("11010519491231002X") == "1101**********002X")
        #expect(Masking.phone(Self.phone) == "138****5678")
        #expect(Masking.name("张三") == "张*")
        #expect(Masking.name("欧阳娜娜") == "欧***")
        #expect(Masking.name("John Smith") == "J*** S****")
        #expect(Masking.idNumber("1234") == "****")
    }

    @Test("No template output holds a full ID or phone number, only their masks")
    func templatesMask() throws {
        // Given the shipped templates and documents full of personal data
        let templates = PrintTemplates.shipped()
        let settlement = DailySettlement(
            day: "2026-11-23", periodStart: Date(timeIntervalSince1970: 1_795_362_900),
            periodEnd: Date(timeIntervalSince1970: 1_795_449_300), terminals: ["hall-1"],
            totals: [DailySettlement.Total(item: "水费", channel: "wechat", count: 3, paymentFen: 30_000)],
            spans: [DailySettlement.Span(terminal: "hall-1", firstSequence: 75, lastSequence: 77, head: "ab12cd")],
            reportHash: "ef34"
        )
        let catalog = try Catalog.shipped()
        let item = try #require(catalog.stages.first?.items.first)
        // When each is rendered
        let documents: [Printable] = [
            .acceptanceSlip(Self.slip), .paymentReceipt(Self.receipt), .serviceGuide(item, terminal: "hall-1"), .dailySettlement(settlement),
        ]
        for printable in documents {
            let request = templates.request(for: printable, at: Date(timeIntervalSince1970: 1_795_000_000))
            let job = PrintJob(number: "R-000123", kind: request.kind, reference: request.reference, role: request.role, queue: "q",
                               createdAt: Date(), updatedAt: Date(), document: request.document)
            let text = job.finalDocument.plainText
            // Then neither the paper nor the CUPS job name carries them in full
            #expect(!text.contains(Self.idNumber), "\(request.kind)")
            #expect(!text.contains(Self.phone), "\(request.kind)")
            #expect(!text.contains("张三丰"), "\(request.kind)")
            #expect(!text.contains("{"), "unfilled placeholder in \(request.kind): \(text)")
            #expect(text.contains("R-000123"), "\(request.kind)")
            #expect(job.cupsJobName == "kioskd \(request.kind.rawValue) R-000123")
            #expect(!request.reference.contains(Self.idNumber))
        }
        let slip = templates.document(for: Self.slip).plainText
        #expect(slip.contains("1101**********1234"))
        #expect(slip.contains("张**"))
        #expect(slip.contains("EMS 邮寄"))
        let receipt = templates.document(for: Self.receipt)
        #expect(receipt.plainText.contains("户号 Account：******0001"))
        #expect(receipt.plainText.contains("¥123.45"))
        // The paper carries what ties it to the ledger: terminal, sequence, the hash, in a QR code too
        #expect(receipt.plainText.contains("流水号 Seq.：77"))
        #expect(receipt.plainText.contains("校验码 Check：abababababababab"))
        #expect(receipt.blocks.contains(.qrCode("KIOSKD1|hall-1|77|12345|" + String(repeating: "ab", count: 32))))
    }

    @Test("The 重印 mark is printed only on reprints, with the original's number")
    func reprintMark() {
        let document = PrintTemplates.shipped().document(for: Self.slip)
        #expect(!document.finalized(number: "R-000002", reprintOf: nil).plainText.contains("重印"))
        #expect(document.finalized(number: "R-000002", reprintOf: "R-000001").plainText.contains("重印 REPRINT（原 R-000001）"))
    }

    @Test("A value cannot name a placeholder or add a directive")
    func hostileValues() {
        let template = PrintTemplate(name: "t", text: "申请人：{applicant_name}\n号：{number}")
        let document = template.render(["applicant_name": .text("{number}\n!heading X\u{1B}[2J")])
        #expect(!document.finalized(number: "R-1", reprintOf: nil).plainText.contains("申请人：R-1"))
        #expect(document.blocks.count == 2)
    }

    @Test("A print job as technicians see it tells its times in the hall's zone, not UTC")
    func jobTimesInHallZone() throws {
        // Given a job made at 04:42 UTC
        let at = Date(timeIntervalSince1970: 1_795_408_920)
        let job = PrintJob(number: "R-000007", kind: .paymentReceipt, reference: "PO1", role: .receipt, queue: "q",
                           createdAt: at, updatedAt: at.addingTimeInterval(61), document: PrintDocument(blocks: []))
        // When it is listed for a hall in Shanghai
        let info = PrintJobInfo(job, format: HallTimeFormat(timeZone: try #require(TimeZone(identifier: "Asia/Shanghai"))))
        // Then both times are Beijing time with their offset
        #expect(info.createdAt == "2026-11-23T12:42:00+08:00")
        #expect(info.updatedAt == "2026-11-23T12:43:01+08:00")
    }

    @Test("Print numbers are forgiving about case, dash and leading zeros")
    func numbers() {
        #expect(PrintNumber.make(123) == "R-000123")
        #expect(PrintNumber.normalized("123") == "R-000123")
        #expect(PrintNumber.normalized("r-000123") == "R-000123")
        #expect(PrintNumber.normalized("R000123") == "R-000123")
        #expect(PrintNumber.normalized("R-") == nil)
        #expect(PrintNumber.normalized("12a") == nil)
        #expect(PrintNumber.normalized("0") == nil)
        // A sign is not the R's dash (issue 13: Reprint "-1" reprinted R-000001)
        #expect(PrintNumber.normalized("-1") == nil)
        #expect(PrintNumber.normalized("+1") == nil)
        #expect(PrintNumber.normalized("R+1") == nil)
    }

    @Test("Reprint screen: the typed number is reprinted; Enter on an empty field reprints this session's last job")
    func reprintScreen() {
        // Given a citizen on the reprint screen
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        let reprintDigit = Character(String(state.items.firstIndex(of: .reprint)! + 1))
        _ = state.handle(.key(.character(reprintDigit)))
        #expect(state.screen == .service(.reprint))
        // When they type 12 and Enter
        _ = state.handle(.key(.character("1")))
        _ = state.handle(.key(.character("2")))
        let effects = state.handle(.key(.enter))
        // Then R-000012 is reprinted
        #expect(effects == [.reprint(number: "R-000012", proof: .none)])
        // When the outcome comes back, then it is shown and remembered
        _ = state.handle(.printed(PrintOutcome(result: .waiting, number: "R-000013", responsible: .hallStaff, reason: "media-empty")))
        #expect(state.printing.outcome?.number == "R-000013")
        // And Enter on the empty field reprints it
        #expect(state.handle(.key(.enter)) == [.reprint(number: "R-000013", proof: .ownSession)])
    }

    @Test("Another session's slip is reprinted only with proof; three wrong proofs end the tries")
    func reprintOfAnotherSessionsSlipNeedsProof() {
        // Given a citizen on the reprint screen who printed nothing in this session
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        let reprintDigit = Character(String(state.items.firstIndex(of: .reprint)! + 1))
        _ = state.handle(.key(.character(reprintDigit)))
        // When they ask for R-000005 and the printer says it is someone's acceptance slip
        _ = state.handle(.key(.character("5")))
        #expect(state.handle(.key(.enter)) == [.reprint(number: "R-000005", proof: .none)])
        _ = state.handle(.printed(PrintOutcome(result: .proofRequired, number: "R-000005", reason: "acceptance-slip")))
        // Then the screen asks for the ID's last 6 characters, and what is typed is sent as proof
        #expect(state.notice == "reprint.proof.acceptance-slip")
        for character in "31002x" { _ = state.handle(.key(.character(character))) }
        #expect(state.printing.proofInput == "31002X")
        #expect(state.handle(.key(.enter)) == [.reprint(number: "R-000005", proof: .typed("31002X"))])
        // When the proof is wrong three times
        for attempt in 1...3 {
            _ = state.handle(.printed(PrintOutcome(result: .proofRejected, number: "R-000005")))
            if attempt < 3 {
                #expect(state.notice == "reprint.proof.rejected")
                for character in "000000" { _ = state.handle(.key(.character(character))) }
                _ = state.handle(.key(.enter))
            }
        }
        // Then no more proofs are taken in this session, for any job not its own
        #expect(state.notice == "reprint.proof.locked")
        #expect(state.printing.proofFor == nil)
        _ = state.handle(.key(.character("7")))
        #expect(state.handle(.key(.enter)) == [])
        #expect(state.notice == "reprint.proof.locked")
    }

    @Test("When a session ends, its own print jobs are handed over to be held, before the wipe")
    func sessionEndHoldsItsJobs() {
        // Given a session that printed two slips, one still waiting for the printer
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        _ = state.handle(.printed(PrintOutcome(result: .printed, number: "R-000001")))
        _ = state.handle(.printed(PrintOutcome(result: .waiting, number: "R-000002", responsible: .hallStaff, reason: "media-empty")))
        // When the session is reset
        let effects = state.handle(.reset)
        // Then both numbers go to be held (the printer holds those not started), then the session ends
        #expect(effects == [.holdPrintJobs(["R-000001", "R-000002"]), .sessionEnded(reason: .reset)])
        // And the next session knows none of them
        #expect(state.printing.ownNumbers.isEmpty)
        #expect(state.printing.lastNumber == nil)
    }

    @Test("The citizen reads the fault, whom to ask and the reprint number")
    func outcomeMessage() throws {
        let view = MenuView(localization: try Localization.shipped(), terminalName: "hall-1")
        let waiting = PrintOutcome(result: .waiting, number: "R-000123", responsible: .hallStaff, reason: "media-empty")
        #expect(view.message(for: waiting, .chinese) == "打印机缺纸，请联系大厅工作人员，重印号 R-000123")
        #expect(view.message(for: waiting, .english).contains("out of paper"))
        let stalled = PrintOutcome(result: .waiting, number: "R-000124", responsible: .engineer, reason: "job-stalled")
        #expect(view.message(for: stalled, .chinese).contains("无响应"))
        #expect(view.message(for: PrintOutcome(result: .printed, number: "R-1"), .chinese).contains("已打印"))
    }
}
