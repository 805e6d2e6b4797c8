import Foundation
import KioskCore
import KioskTesting
import Testing

/// 参保证明: the insurance summary on screen printed on the document printer, masked, with
/// the hall's name, the time and a verification number.
@Suite("Insurance certificate")
struct InsuranceCertificateTests {
    static let summary = InsuranceSummary(
        nameMasked: "张*", insuredSince: "2008-07", monthsPaid: 208, pensionBalanceFen: 8_512_300, medicalBalanceFen: 1_203_450,
        lastPaidMonth: "2026-10", housingBalanceFen: 12_345_600, monthlyDepositFen: 248_000, lastDepositMonth: "2026-10"
    )

    @Test("On the summary, 1 prints a certificate for the proved person, masked; without a printer the reason is said")
    func resultPrintsTheCertificate() {
        // Given a person proved by card and their summary on screen
        var state = MenuState(profile: .citizen)
        _ = state.handle(.key(.enter))
        _ = state.handle(.key(.character("3")))
        _ = state.handle(.identityRead(IDCardReaderTests.card))
        _ = state.handle(.key(.enter))
        _ = state.handle(.key(.enter))
        _ = state.handle(.insuranceAnswered(.found(Self.summary)))
        #expect(state.insurance == .found(Self.summary))
        // When 1 is pressed without a working printer / Then nothing prints and the reason is said
        #expect(state.handle(.key(.character("1")), context: MenuContext(availability: ServiceAvailability(centralService: true, printer: false))).isEmpty)
        #expect(state.notice == "print.unavailable")
        // When 1 is pressed with the printer working
        let effects = state.handle(.key(.character("1")))
        // Then the certificate of the summary shown is printed, with the ID masked
        let certificate = InsuranceCertificate(summary: Self.summary, idNumber: "11010519491231002X")
        #expect(effects == [.printCertificate(certificate)])
        #expect(certificate.idMasked == "1101**********002X")
        #expect(state.notice == "print.sent")
    }

    @Test("The certificate goes to the document printer as personal paper and says the hall, the time and its verification number")
    func certificateDocument() throws {
        // Given the shipped template and a hall
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources/templates/insurance-certificate.txt")
        let templates = PrintTemplates(
            texts: ["insurance-certificate": try String(contentsOf: file, encoding: .utf8)],
            timeZone: TimeZone(identifier: "Asia/Shanghai")!, hall: HallInfo(name: "朝阳区政务服务中心24小时自助区")
        )
        let certificate = InsuranceCertificate(summary: Self.summary, idNumber: "11010519491231002X")
        // When it is rendered and printed as job R-000007
        let request = templates.request(
            for: .insuranceCertificate(certificate, terminal: "hall-1"), at: Date(timeIntervalSince1970: 1_795_408_920)
        )
        let text = request.document.finalized(number: "R-000007", reprintOf: nil).plainText
        // Then it is an A4 document, held with the session's other personal paper
        #expect(request.kind.role == .document && request.kind.isPersonal)
        #expect(!request.reference.contains("1101"))
        // And it says what the screen said, masked, with the hall, the time and the number
        for expected in ["参保证明", "张*", "1101**********002X", "2008-07", "208 个月", "¥85123.00", "¥123456.00",
                         "朝阳区政务服务中心24小时自助区", "2026-11-23 12:42", "核验号 Verification No.：R-000007"] {
            #expect(text.contains(expected), "\(expected) missing from:\n\(text)")
        }
        #expect(!text.contains("11010519491231002X"))
    }
}
