import Foundation
import KioskCore
import KioskSigning

/// Ledgers for the tests: a signer with a fresh key, and chains of payments a minute apart.
enum LedgerFixtures {
    /// 2026-11-18T11:06:40Z.
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    static func payment(_ index: Int, at date: Date? = nil, item: String = "water-bill", channel: String = "qr",
                        amountFen: Int64? = nil, reference: String? = nil) -> LedgerEntry {
        .payment(
            recordedAt: date ?? start.addingTimeInterval(Double(index) * 60), itemID: item, channel: channel,
            amountFen: amountFen ?? Int64(1_000 + index), orderReference: reference ?? "order-\(index)",
            maskedAccount: "3101****\(1000 + index)"
        )
    }

    /// `count` payments sealed on `terminal` by `signer`, sequences 1…count.
    static func chain(_ count: Int, terminal: String = "hall-1", signer: SwiftCryptoLedger,
                      references: String = "") throws -> [LedgerRecord] {
        let entries = (1...count).map { payment($0, reference: "\(references)order-\($0)") }
        return try LedgerChain(signer: signer).seal(entries, terminal: terminal)
    }

    static func verifier(for signer: SwiftCryptoLedger) -> LedgerVerifier {
        LedgerVerifier(crypto: SwiftCryptoHashing(), publicKey: signer.publicKey)
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kioskd-payments-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
