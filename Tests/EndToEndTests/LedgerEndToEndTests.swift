#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskCore
import KioskSigning
import KioskStore
import KioskTesting
import Testing

/// True when /usr/bin/python3 can import python3-cryptography (Debian's package), which
/// the independent verifier needs.
private let pythonHasCryptography: Bool = {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return false }
    return (try? Subprocess.run("/usr/bin/python3", ["-c", "import cryptography"]).status) == 0
}()

/// The technicians' ledger methods through a real kioskd: verify, key, payments,
/// settlement and export, then a hand edit with the sqlite3 shell found by verify.
@Suite("kioskd ledger end to end", .serialized)
struct LedgerEndToEndTests {
    /// 2026-11-23T10:00:00+08:00, in the default hall zone (Asia/Shanghai).
    static let morning = Date(timeIntervalSince1970: 1_795_399_200)

    static let verifierScript = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/verify-ledger-export.py").path

    /// Records two paid water bills on hall-1 in the database kioskd will open, signed with
    /// the key file kioskd will load: what a run of the payment desk leaves behind.
    func seedLedger(in directory: TemporaryDirectory) async throws -> LedgerKeyFile {
        let key = try LedgerKeyFile.loadOrCreate(path: directory.file("ledger.key"))
        let database = try KioskDatabase(path: directory.file("kioskd.sqlite"))
        let chain = LedgerChain(signer: key.signer)
        for (index, amount) in [Int64(123_450), 8_800].enumerated() {
            let id = UUID()
            let at = Self.morning.addingTimeInterval(Double(index) * 60)
            let bill = Bill(kind: .water, account: "310100125678", holderMasked: "张*", amountDueFen: amount, period: "2026-10")
            try await database.beginOrder(id: id, bill: bill, terminal: "hall-1", at: at)
            try await database.updateOrder(id: id, number: "PO0000000\(index + 1)", expiresAt: at.addingTimeInterval(900), state: .open)
            _ = try await database.recordPayment(orderID: id, channel: "wechat", paidAt: at, afterSession: index == 1, chain: chain, at: at)
            try await database.setReceipt(orderID: id, number: "R-00000\(index + 1)", printed: index == 0)
        }
        return key
    }

    func kioskctl(_ daemon: DaemonProcess, _ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
        try await run("kioskctl", ["--socket", daemon.controlSocket] + arguments)
    }

    @Test("ledger verify passes on a signed ledger and, after a hand edit with the sqlite3 shell, exits 65 naming the record and the hash")
    func verifyFindsHandEdit() async throws {
        // Given a state directory whose ledger holds two signed payments
        let directory = try TemporaryDirectory(prefix: "kioskd-e2e")
        _ = try await seedLedger(in: directory)
        // When kioskd starts on it and a technician verifies the ledger
        let daemon = try DaemonProcess(reusing: directory)
        #expect(await daemon.waitUntilReady())
        let intact = try await kioskctl(daemon, ["ledger", "verify"])
        // Then it passes
        #expect(intact.status == 0, "\(intact.output)\(intact.errors)")
        #expect(intact.output.contains("ledger intact: 2 records verified"), "\(intact.output)")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)

        // When someone edits an amount with the sqlite3 shell, the trigger refuses it
        let database = daemon.databasePath
        let refused = try await offPool {
            try Subprocess.run("/usr/bin/sqlite3", [database, "UPDATE ledgerRecord SET amountFen = 1 WHERE sequence = 1;"])
        }
        #expect(refused.status != 0)
        #expect(refused.output.contains("the ledger is append-only"), "\(refused.output)")
        #expect(try await SQLiteShell.query(database, "SELECT amountFen FROM ledgerRecord WHERE sequence = 1") == ["123450"])
        // And after dropping the trigger the edit goes through
        let edited = try await offPool {
            try Subprocess.run("/usr/bin/sqlite3", [
                database, "DROP TRIGGER ledgerRecord_noUpdate; UPDATE ledgerRecord SET amountFen = 1 WHERE sequence = 1;",
            ])
        }
        #expect(edited.status == 0, "\(edited.output)")
        #expect(try await SQLiteShell.query(database, "SELECT amountFen FROM ledgerRecord WHERE sequence = 1") == ["1"])

        // When kioskd starts again and the technician verifies
        let restarted = try DaemonProcess(reusing: directory)
        #expect(await restarted.waitUntilReady())
        let broken = try await kioskctl(restarted, ["ledger", "verify"])
        // Then verify exits 65 and names the record and the hash
        #expect(broken.status == 65)
        #expect(broken.output.contains("break hall-1 #1: hash does not match"), "\(broken.output)")
        #expect(broken.output.contains("[hash_mismatch]"), "\(broken.output)")
        let json = try await kioskctl(restarted, ["ledger", "verify", "--json"])
        #expect(json.status == 65)
        let reply = try JSONDecoder().decode(JSONValue.self, from: Data(json.output.utf8))
        #expect(reply["ok"] == .bool(false))
        #expect(reply["breaks"]?.arrayValue?.first?["reason"] == .string("hash_mismatch"))
        // And from sequence 2 on (record 1 trusted as the anchor) the rest still verifies
        let fromTwo = try await kioskctl(restarted, ["ledger", "verify", "--from", "2"])
        #expect(fromTwo.status == 0, "\(fromTwo.output)")
        restarted.signal(SIGTERM)
        #expect(await restarted.waitForExit() == 0)
    }

    @Test("ledger key prints the key file's public key; payments and settlement show the day in ¥; the export passes the Python verifier")
    func keyPaymentsSettlementExport() async throws {
        // Given kioskd on a state directory with two payments on 2026-11-23, the second
        // unprinted and confirmed after its session
        let directory = try TemporaryDirectory(prefix: "kioskd-e2e")
        let key = try await seedLedger(in: directory)
        // started with a umask that takes nothing away (the exports must be 0600 all the same)
        let previousMask = umask(0)
        let started = Result { try DaemonProcess(reusing: directory) }
        umask(previousMask)
        let daemon = try started.get()
        #expect(await daemon.waitUntilReady())

        // When the technician asks for the key / Then it is the key file's
        let printedKey = try await kioskctl(daemon, ["ledger", "key"])
        #expect(printedKey.status == 0)
        #expect(printedKey.output == key.publicKeyBase64 + "\n")

        // When the technician lists the day's payments / Then both show, newest first, in ¥
        let payments = try await kioskctl(daemon, ["payments", "--date", "2026-11-23"])
        #expect(payments.status == 0, "\(payments.errors)")
        let lines = payments.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ORDER") == true)
        #expect(lines[1].contains("PO00000002") && lines[1].contains("¥88.00") && lines[1].contains("2026-11-23T10:01:00+08:00"), "\(lines)")
        #expect(lines[2].contains("PO00000001") && lines[2].contains("¥1,234.50"), "\(lines)")
        #expect(payments.output.contains("2 payments on 2026-11-23, ¥1,322.50"))
        // And no account, not even masked, is shown
        #expect(!payments.output.contains("5678") && !payments.output.contains("张"))
        let unprinted = try await kioskctl(daemon, ["payments", "--unprinted", "--json"])
        let unprintedReply = try JSONDecoder().decode(JSONValue.self, from: Data(unprinted.output.utf8))
        #expect(unprintedReply["payments"]?.arrayValue?.map { $0["receipt_number"] } == [.string("R-000002")])
        #expect(try await kioskctl(daemon, ["payments", "--date", "2026-11-24"]).output == "no payments on 2026-11-24\n")
        #expect(try await kioskctl(daemon, ["payments", "--date", "23.11.2026"]).status == 64)

        // When the technician shows the day's settlement / Then it totals both payments
        let settlement = try await kioskctl(daemon, ["settlement", "2026-11-23"])
        #expect(settlement.status == 0, "\(settlement.errors)")
        #expect(settlement.output.contains("total: 2 payments ¥1,322.50"), "\(settlement.output)")
        #expect(settlement.output.contains("unprinted receipts: 1; paid after the session ended: 1"), "\(settlement.output)")
        let exportedSettlement = try await kioskctl(daemon, ["settlement", "2026-11-23", "--export", "--json"])
        let settlementReply = try JSONDecoder().decode(JSONValue.self, from: Data(exportedSettlement.output.utf8))
        let settlementPath = try #require(settlementReply["export_path"]?.stringValue)
        #expect(settlementPath == directory.file("exports/settlement-2026-11-23.csv"))
        #expect(try String(contentsOfFile: settlementPath, encoding: .utf8).contains("total,2026-11-23,Asia/Shanghai"))

        // When the technician exports the day
        let export = try await kioskctl(daemon, ["ledger", "export", "--date", "2026-11-23", "--json"])
        #expect(export.status == 0, "\(export.errors)")
        let exportReply = try JSONDecoder().decode(JSONValue.self, from: Data(export.output.utf8))
        let csvPath = try #require(exportReply["csv_path"]?.stringValue)
        let keyPath = try #require(exportReply["key_path"]?.stringValue)
        let head = try #require(exportReply["heads"]?.arrayValue?.first)
        // Then both files are in exports/ (0700), mode 0600, and the key is the key file's
        #expect(csvPath == directory.file("exports/ledger-2026-11-23.csv"))
        #expect(keyPath == directory.file("exports/ledger-2026-11-23.key"))
        #expect(try mode(of: directory.file("exports")) == 0o700)
        #expect(try mode(of: csvPath) == 0o600)
        #expect(try mode(of: keyPath) == 0o600)
        #expect(try mode(of: settlementPath) == 0o600)
        #expect(try String(contentsOfFile: keyPath, encoding: .utf8) == key.publicKeyBase64 + "\n")
        #expect(exportReply["records"] == .integer(2))
        #expect(head["sequence"] == .integer(2))

        // And the independent Python verifier accepts the export against the returned head
        if pythonHasCryptography {
            let headArgument = "hall-1:2:\(head["hash"]?.stringValue ?? "")"
            let checked = try await offPool {
                try Subprocess.run("/usr/bin/python3", [Self.verifierScript, csvPath, "--public-key-file", keyPath, "--head", headArgument])
            }
            #expect(checked.status == 0, "\(checked.output)")
            #expect(checked.output.hasPrefix("ok 2 records, head hall-1 2 "), "\(checked.output)")
        }
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit() == 0)
    }

    func mode(of path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? Int ?? 0) & 0o777
    }
}
