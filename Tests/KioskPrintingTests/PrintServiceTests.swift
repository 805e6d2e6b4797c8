import Foundation
import KioskCore
import KioskTesting
import Logging
import Testing

@testable import KioskPrinting

/// The print service against a private cupsd: real libcups, real queues, real faults.
@Suite("Print service", .serialized, .enabled(if: PrivateCUPS.isAvailable))
struct PrintServiceTests {
    static let templates = PrintTemplates(texts: [
        "acceptance-slip": "!heading 受理回执\n!reprint 重印（原 {reprint_of}）\n申请人：{applicant_name}\n证件：{applicant_id}\n编号：{application_number}\n回执号：{number}",
        "service-guide": "!heading 办事指南\n{item_name}\n打印号：{number}",
        "payment-receipt": "!heading 缴费凭证\n!reprint 重印（原 {reprint_of}）\n订单号：{receipt_number}\n流水号：{sequence}\n校验码：{short_hash}\n打印号：{number}",
    ], timeZone: TimeZone(identifier: "Asia/Shanghai")!)

    static let slip = AcceptanceSlip(
        applicationNumber: "A-20261123-0001", itemID: "birth-cert", itemName: LocalizedText(chinese: "出生医学证明", english: "Birth certificate"),
        applicantName: "张三丰", applicantID: "110101199003071234", submittedAt: Date(timeIntervalSince1970: 1_795_000_000),
        timeLimitDays: 5, kind: .promised, delivery: .pickup, terminal: "hall-1"
    )

    /// Runs a print service for `queue` (both roles) on `cups` for the length of `body`.
    static func withService(
        _ cups: PrivateCUPS, queue: String, store: InMemoryPrintJobStore = InMemoryPrintJobStore(),
        noProgress: Duration = .seconds(30), resumeAfter: Duration? = nil, waitFor: Duration = .seconds(4),
        time: TimeEnvironment = .system, proofChecker: (any ReprintProofChecker)? = nil,
        _ body: (PrintService, InMemoryPrintJobStore) async throws -> Void
    ) async throws {
        let service = PrintService(
            configuration: PrintServiceConfiguration(
                queues: [.receipt: queue, .document: queue], pollInterval: .milliseconds(200), noProgressTimeout: noProgress,
                resumeAfter: resumeAfter, outcomeWait: waitFor
            ),
            cups: CUPSClient(server: CUPSServer(host: cups.socketPath, port: 0)), store: store, templates: templates,
            document: try? DocumentRenderer(fontPath: DocumentRendererTests.font, faceIndex: 1), time: time,
            logger: Logger(label: "test"), proofChecker: proofChecker
        )
        let task = Task { try await service.run() }
        defer { task.cancel() }
        // The first poll has seen the printers.
        for _ in 0..<50 where service.printerStatuses.first?.state == .unknown { try await Task.sleep(for: .milliseconds(50)) }
        try await body(service, store)
    }

    @Test("A slip prints on the healthy queue: ESC/POS with GB18030 text, masked, named only by its number")
    func healthySlip() async throws {
        try await withPrivateCUPS { cups in
            try await Self.withService(cups, queue: "healthy") { service, store in
                // When an acceptance slip is printed
                let outcome = await service.print(.acceptanceSlip(Self.slip))
                // Then CUPS completed it, the store says printed, and the bytes are the masked slip
                #expect(outcome.result == .printed)
                #expect(outcome.number == "R-000001")
                #expect(try await store.printJob(number: "R-000001")?.state == .printed)
                let bytes = try #require(cups.printed(queue: "healthy").first?.bytes)
                #expect(Array(bytes.prefix(2)) == [0x1B, 0x40])
                #expect(bytes.contains(sequence: GB18030.encode("申请人：张**")))
                #expect(bytes.contains(sequence: GB18030.encode("证件：1101**********1234")))
                #expect(bytes.contains(sequence: GB18030.encode("回执号：R-000001")))
                #expect(!bytes.contains(sequence: Array("110101199003071234".utf8)))
                #expect(cups.printedTitles(queue: "healthy") == ["kioskd acceptance-slip R-000001"])
            }
        }
    }

    @Test("A guide prints on the document queue as a PDF with the text and an embedded CJK font",
          .enabled(if: FileManager.default.fileExists(atPath: DocumentRendererTests.font)))
    func guideDocument() async throws {
        try await withPrivateCUPS { cups in
            try await Self.withService(cups, queue: "healthy") { service, _ in
                let item = CatalogItem(
                    id: "id-card", name: LocalizedText(chinese: "居民身份证换领", english: "ID card renewal"), keywords: [],
                    department: LocalizedText(chinese: "公安局", english: "Police"), kind: .immediate, timeLimitDays: 0, feeFen: 0,
                    zeroMaterial: false, acceptWithGaps: false, profiles: [.citizen], location: LocalizedText(chinese: "一楼", english: "1F"),
                    materials: [], action: .guideOnly, fields: []
                )
                // When a guide is printed
                let outcome = await service.print(.serviceGuide(item, terminal: "hall-1"))
                #expect(outcome.result == .printed)
                // Then the document printer received a PDF whose text poppler reads back
                let bytes = try #require(cups.printed(queue: "healthy").first?.bytes)
                #expect(Array(bytes.prefix(5)) == Array("%PDF-".utf8))
                let directory = try TemporaryDirectory()
                try Data(bytes).write(to: URL(fileURLWithPath: directory.file("guide.pdf")))
                let path = directory.file("guide.pdf")
                let text = try await offPool { try DocumentRendererTests.run("/usr/bin/pdftotext", [path, "-"]) }
                let fonts = try await offPool { try DocumentRendererTests.run("/usr/bin/pdffonts", [path]) }
                #expect(text.contains("居民身份证换领"))
                #expect(fonts.contains("CID TrueType"))
            }
        }
    }

    @Test("Out of paper: the citizen is told to ask hall staff, the role is a fault, and after resume exactly one copy prints")
    func nopaper() async throws {
        try await withPrivateCUPS { cups in
            try await Self.withService(cups, queue: "nopaper") { service, store in
                // When a slip is printed on a printer without paper
                let outcome = await service.print(.acceptanceSlip(Self.slip))
                // Then it waits, for hall staff, because of media-empty, and the role is gated
                #expect(outcome.result == .waiting)
                #expect(outcome.responsible == .hallStaff)
                #expect(outcome.reason == "media-empty")
                #expect(!service.canPrint(.receipt))
                #expect(service.printerStatuses.first?.summary.contains("media-empty") == true)
                // And a second slip asked meanwhile is held, not sent
                let second = await service.print(.acceptanceSlip(Self.slip))
                #expect(second.result == .waiting)
                #expect(try await store.printJob(number: second.number)?.state == .waiting)
                // When paper is loaded and a technician resumes the queue
                try cups.loadPaper("nopaper")
                _ = try await service.resume(.receipt)
                // Then each slip prints exactly once
                #expect(await cups.wait { cups.printed(queue: "nopaper").count >= 2 })
                try await Task.sleep(for: .seconds(1))
                #expect(cups.printed(queue: "nopaper").count == 2)
                #expect(await cups.wait { service.canPrint(.receipt) })
                let stored = store
                #expect(await cups.wait { 
                    let first = await Self.state(stored, outcome.number)
                    let other = await Self.state(stored, second.number)
                    return first == .printed && other == .printed
                })
            }
        }
    }

    @Test("With the automatic resume policy a stopped queue is resumed by itself once paper is back: one copy")
    func automaticResume() async throws {
        try await withPrivateCUPS { cups in
            try await Self.withService(cups, queue: "nopaper", resumeAfter: .seconds(1)) { service, store in
                // Given a slip waiting in a queue stopped for want of paper
                let outcome = await service.print(.acceptanceSlip(Self.slip))
                #expect(outcome.result == .waiting)
                // When hall staff load paper, and nobody resumes the queue by hand
                try cups.loadPaper("nopaper")
                // Then the policy resumes it, and the slip prints exactly once
                let stored = store
                #expect(await cups.wait { await Self.state(stored, outcome.number) == .printed })
                try await Task.sleep(for: .seconds(1))
                #expect(cups.printed(queue: "nopaper").count == 1)
            }
        }
    }

    @Test("A failing printer is a fault for the engineer; healed, the job prints exactly once")
    func failing() async throws {
        try await withPrivateCUPS { cups in
            try await Self.withService(cups, queue: "failing") { service, store in
                let outcome = await service.print(.acceptanceSlip(Self.slip))
                #expect(outcome.result == .waiting)
                #expect(outcome.responsible == .engineer)
                #expect(!service.canPrint(.receipt))
                // When the queue is healed (backend fixed, enabled)
                try await cups.heal("failing")
                // Then it prints once and the job is printed
                #expect(await cups.wait { cups.printed(queue: "failing").count == 1 })
                let stored = store
                #expect(await cups.wait { await Self.state(stored, outcome.number) == .printed })
                try await Task.sleep(for: .seconds(1))
                #expect(cups.printed(queue: "failing").count == 1)
            }
        }
    }

    @Test("A job processing without progress is a stalled fault; healed, it prints exactly once")
    func hanging() async throws {
        try await withPrivateCUPS { cups in
            // The no-progress time passes on the test clock: no waiting for it.
            let clock = TestClock()
            try await Self.withService(
                cups, queue: "hanging", noProgress: .seconds(30), waitFor: .seconds(40), time: clock.environment()
            ) { service, store in
                // When a slip goes to a printer that never finishes, and 30 s pass on the test clock
                let printing = Task { await service.print(.acceptanceSlip(Self.slip)) }
                let answered = await clock.drive(step: .milliseconds(500), limit: .seconds(60)) {
                    service.printerStatuses.first?.condition.reasons.contains("job-stalled") == true
                }
                #expect(answered)
                clock.advance(by: .seconds(15))
                let outcome = await printing.value
                // Then after the no-progress time it is a stalled fault for the engineer
                #expect(outcome.result == .waiting)
                #expect(outcome.reason == "job-stalled")
                #expect(service.printerStatuses.first?.condition.reasons.contains("job-stalled") == true)
                // When the printer comes back
                try await cups.heal("hanging")
                // Then the same job finishes: one copy, printed, and the fault clears
                #expect(await cups.wait { cups.printed(queue: "hanging").count == 1 })
                let stored = store
                #expect(await clock.drive(step: .milliseconds(500), limit: .seconds(120)) {
                    await Self.state(stored, outcome.number) == .printed && service.canPrint(.receipt)
                })
                #expect(cups.printed(queue: "hanging").count == 1)
            }
        }
    }

    @Test("After a crash between sending and recording the CUPS id, the job is found in CUPS and not sent again")
    func reconcileAfterCrash() async throws {
        try await withPrivateCUPS { cups in
            // Given a job recorded as queued, which a previous run had already sent to CUPS
            let store = InMemoryPrintJobStore()
            let document = Self.templates.request(for: .acceptanceSlip(Self.slip), at: Date()).document
            let job = PrintJob(number: "R-000001", kind: .acceptanceSlip, reference: "A-1", role: .receipt, queue: "healthy",
                               createdAt: Date(), updatedAt: Date(), document: document)
            await store.insert(job)
            let client = CUPSClient(server: CUPSServer(host: cups.socketPath, port: 0))
            _ = try await client.submit(queue: "healthy", name: job.cupsJobName, format: "application/vnd.cups-raw",
                                        data: ReceiptEncoder().encode(job.finalDocument))
            // When the service starts again
            try await Self.withService(cups, queue: "healthy", store: store) { _, store in
                let stored = store
                #expect(await cups.wait { await Self.state(stored, "R-000001") == .printed })
            }
            // Then exactly one copy printed
            #expect(cups.printed(queue: "healthy").count == 1)
        }
    }

    @Test("A reprint is a new job marked 重印 with the original's number")
    func reprint() async throws {
        try await withPrivateCUPS { cups in
            try await Self.withService(cups, queue: "healthy") { service, store in
                let first = await service.print(.acceptanceSlip(Self.slip))
                // When it is reprinted by number
                let again = await service.reprint(number: first.number, proof: .ownSession)
                // Then a second job prints, recorded as a reprint, with the mark on paper
                #expect(again.result == .printed)
                #expect(try await store.printJob(number: again.number)?.reprintOf == first.number)
                let bytes = try #require(cups.printed(queue: "healthy").last?.bytes)
                #expect(bytes.contains(sequence: GB18030.encode("重印（原 R-000001）")))
                #expect(await service.reprint(number: "R-999999", proof: .technician).result == .unknownNumber)
            }
        }
    }

    static let receipt = PaymentReceipt(
        receiptNumber: "PO-20261123-0007", itemName: LocalizedText(chinese: "水费", english: "Water bill"), amountFen: 12_345,
        channel: "wechat", maskedAccount: "******0001", paidAt: Date(timeIntervalSince1970: 1_795_000_000), terminal: "hall-1",
        sequence: 7, hash: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    )

    @Test("A receipt recorded in the payment's transaction is the job that prints, by its number, once")
    func printRecorded() async throws {
        try await withPrivateCUPS { cups in
            try await Self.withService(cups, queue: "healthy") { service, store in
                // Given a slip printed before, and a receipt rendered by the service and recorded by someone else
                _ = await service.print(.acceptanceSlip(Self.slip))
                let prepared = try #require(service.prepare(.paymentReceipt(Self.receipt)))
                #expect(prepared.queue == "healthy" && prepared.request.kind == .paymentReceipt)
                let job = try await store.recordPrintJob(prepared.request, queue: prepared.queue, reprintOf: nil, at: Date())
                // When the service is asked to print that recorded job
                let outcome = await service.printRecorded(number: job.number)
                // Then that job, and no new one, printed with the ledger's data and its number
                #expect(outcome == PrintOutcome(result: .printed, number: "R-000002"))
                #expect(try await store.printJob(number: "R-000002")?.state == .printed)
                #expect(try await store.printJobs(states: [], limit: 10).count == 2)
                #expect(cups.printedTitles(queue: "healthy").sorted() == ["kioskd acceptance-slip R-000001", "kioskd payment-receipt R-000002"])
                let bytes = try #require(cups.printed(queue: "healthy").last?.bytes)
                #expect(bytes.contains(sequence: GB18030.encode("流水号：7")))
                #expect(bytes.contains(sequence: GB18030.encode("校验码：0123456789abcdef")))
                #expect(bytes.contains(sequence: GB18030.encode("打印号：R-000002")))
                // When it is asked again, or for a number nobody recorded
                let again = await service.printRecorded(number: "R-000002")
                // Then it is not sent again, and the unknown number is said so
                #expect(again.result == .printed)
                #expect(await service.printRecorded(number: "R-999999").result == .unknownNumber)
                try await Task.sleep(for: .milliseconds(500))
                #expect(cups.printed(queue: "healthy").count == 2)
            }
        }
    }

    @Test("A payment receipt recorded but never sent before a crash does not print after the restart; it is left for a reprint")
    func recordedReceiptAfterCrash() async throws {
        try await withPrivateCUPS { cups in
            // Given a previous run that recorded a payment receipt and a slip, and died before sending either
            let store = InMemoryPrintJobStore()
            let receipt = Self.templates.request(for: .paymentReceipt(Self.receipt), at: Date())
            let slip = Self.templates.request(for: .acceptanceSlip(Self.slip), at: Date())
            await store.insert(PrintJob(number: "R-000001", kind: .paymentReceipt, reference: receipt.reference, role: .receipt,
                                        queue: "healthy", createdAt: Date(), updatedAt: Date(), document: receipt.document))
            await store.insert(PrintJob(number: "R-000002", kind: .acceptanceSlip, reference: slip.reference, role: .receipt,
                                        queue: "healthy", createdAt: Date(), updatedAt: Date(), document: slip.document))
            // When the service starts again
            try await Self.withService(cups, queue: "healthy", store: store) { service, store in
                let stored = store
                // Then the receipt fails as not sent before the restart (the slip is sent, as before)
                #expect(await cups.wait { await Self.state(stored, "R-000001") == .failed })
                #expect(try await store.printJob(number: "R-000001")?.lastReason == "not-sent-before-restart")
                #expect(await cups.wait { await Self.state(stored, "R-000002") == .printed })
                #expect(cups.printedTitles(queue: "healthy") == ["kioskd acceptance-slip R-000002"])
                #expect(await cups.wait { service.printerStatuses.first { $0.role == .receipt }?.failedJobs == 1 })
                // And asking for it by number does not send it either
                #expect(await service.printRecorded(number: "R-000001").result == .failed)
                // When a technician reprints it
                let reprint = await service.reprint(number: "R-000001", proof: .technician)
                // Then a copy marked 重印 prints
                #expect(reprint.result == .printed)
                let bytes = try #require(cups.printed(queue: "healthy").last?.bytes)
                #expect(bytes.contains(sequence: GB18030.encode("重印（原 R-000001）")))
            }
        }
    }

    /// Proof that holds for the slip's applicant: the last six of 110101199003071234.
    struct ApplicantSuffix: ReprintProofChecker {
        func holds(_ proof: String, for job: PrintJob) async -> Bool {
            job.kind == .acceptanceSlip && proof == "071234"
        }
    }

    @Test("A slip still waiting for paper when its session ends is held: it never drops into the tray, until its citizen proves it theirs")
    func heldWhenTheSessionEnds() async throws {
        try await withPrivateCUPS { cups in
            try await Self.withService(cups, queue: "nopaper", proofChecker: ApplicantSuffix()) { service, store in
                // Given a session whose two slips wait for paper (the first handed to CUPS, the second not yet)
                let first = await service.print(.acceptanceSlip(Self.slip))
                let second = await service.print(.acceptanceSlip(Self.slip))
                #expect(first.result == .waiting && second.result == .waiting)
                let firstState = try #require(try await store.printJob(number: first.number)?.state)
                #expect(try await store.printJob(number: second.number)?.state == .waiting)
                // When the session ends
                await service.holdUnstarted(numbers: [first.number, second.number])
                // Then the unsent slip is held; one CUPS already has is left to CUPS
                #expect(try await store.printJob(number: second.number)?.state == .held)
                if firstState == .sent { #expect(try await store.printJob(number: first.number)?.state == .sent) }
                // When paper is loaded and the queue resumed
                try cups.loadPaper("nopaper")
                _ = try await service.resume(.receipt)
                #expect(await cups.wait { service.canPrint(.receipt) })
                try await Task.sleep(for: .seconds(1))
                // Then the held slip did not print for whoever stands there now
                #expect(!cups.printedTitles(queue: "nopaper").contains("kioskd acceptance-slip \(second.number)"))
                #expect(try await store.printJob(number: second.number)?.state == .held)
                // When someone asks for it without proof, or with a wrong one
                let asked = await service.reprint(number: second.number, proof: .none)
                #expect(asked == PrintOutcome(result: .proofRequired, number: second.number, reason: "acceptance-slip"))
                #expect(await service.reprint(number: second.number, proof: .typed("000000")).result == .proofRejected)
                #expect(try await store.printJob(number: second.number)?.state == .held)
                // When the citizen comes back with the last six of their ID
                let released = await service.reprint(number: second.number, proof: .typed("071234"))
                // Then the held job itself prints, under its own number, not as a reprint
                #expect(released.result == .printed)
                #expect(released.number == second.number)
                #expect(try await store.printJob(number: second.number)?.state == .printed)
                #expect(cups.printedTitles(queue: "nopaper").filter { $0 == "kioskd acceptance-slip \(second.number)" }.count == 1)
                #expect(try await store.printJobs(states: [], limit: 10).count == 2)
            }
        }
    }

    @Test("A technician's reprint needs no proof; a service guide needs none either")
    func technicianAndGuideReprints() async throws {
        try await withPrivateCUPS { cups in
            try await Self.withService(cups, queue: "healthy") { service, _ in
                let slip = await service.print(.acceptanceSlip(Self.slip))
                // When another session asks without proof / Then proof is required
                #expect(await service.reprint(number: slip.number, proof: .none).result == .proofRequired)
                // When proof is typed but nothing can check it / Then it is refused
                #expect(await service.reprint(number: slip.number, proof: .typed("071234")).result == .proofRejected)
                // When a technician asks / Then it reprints
                #expect(await service.reprint(number: slip.number, proof: .technician).result == .printed)
            }
        }
    }

    static func state(_ store: InMemoryPrintJobStore, _ number: String) async -> PrintJobState? {
        try? await store.printJob(number: number)?.state
    }
}
