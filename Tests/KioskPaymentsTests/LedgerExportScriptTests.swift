import Foundation
import KioskCore
import KioskSigning
import Testing

/// True when /usr/bin/python3 can import python3-cryptography (Debian's package).
private let pythonHasCryptography: Bool = {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return false }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = ["-c", "import cryptography"]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}()

@Suite("Independent verifier of the ledger export")
struct LedgerExportScriptTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/verify-ledger-export.py")

    /// Runs the script on `export` with the key file; its exit status and output.
    func runScript(_ export: URL, key: URL, heads: [String] = []) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [Self.script.path, export.path, "--public-key-file", key.path] + heads.flatMap { ["--head", $0] }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = (try? pipe.fileHandleForReading.readToEnd()) ?? Data()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test("The Python verifier accepts a signed export and finds one edited amount",
          .enabled(if: pythonHasCryptography, "needs /usr/bin/python3 with python3-cryptography"))
    func pythonVerifier() throws {
        // Given an export of two terminals' signed chains, with a reversal, Chinese text and
        // a quoted comma, and the public key in base64 beside it
        let signer = SwiftCryptoLedger.generate()
        let chain = LedgerChain(signer: signer)
        var records = try LedgerFixtures.chain(6, signer: signer)
        records.append(try chain.seal(
            .reversal(of: records[1], recordedAt: LedgerFixtures.start.addingTimeInterval(900), orderReference: "rev,2"),
            terminal: "hall-1", after: records[5].head
        ))
        records += try chain.seal([
            .payment(recordedAt: LedgerFixtures.start, itemID: "水费", channel: "card", amountFen: 123_450,
                     orderReference: "b-1", maskedAccount: "张*"),
        ], terminal: "hall-2")
        let directory = try LedgerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let export = directory.appendingPathComponent("ledger.csv")
        let key = directory.appendingPathComponent("kiosk.pub")
        let csv = LedgerExport.csv(records, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        try Data(csv.utf8).write(to: export)
        try Data((signer.publicKeyBase64 + "\n").utf8).write(to: key)

        // When the script checks it
        let (status, output) = try runScript(export, key: key, heads: ["hall-1:7:\(records[6].hash)"])
        // Then it passes and names each terminal's head
        #expect(status == 0, "\(output)")
        #expect(output == "ok 8 records, head hall-1 7 \(records[6].hash), head hall-2 1 \(records[7].hash)\n")

        // When one amount is edited in the CSV (record 4: 1004 fen becomes 9004)
        let edited = csv.replacingOccurrences(of: ",1004,CNY,", with: ",9004,CNY,")
        #expect(edited != csv)
        try Data(edited.utf8).write(to: export)
        let (brokenStatus, brokenOutput) = try runScript(export, key: key)
        // Then it fails at that record, as an edit
        #expect(brokenStatus == 1)
        #expect(brokenOutput.hasPrefix("break hall-1 #4: hash does not match"), "\(brokenOutput)")

        // And a cut-off tail is found against the expected head
        try Data(LedgerExport.csv(Array(records[0..<5]), timeZone: .gmt).utf8).write(to: export)
        let (tailStatus, tailOutput) = try runScript(export, key: key, heads: ["hall-1:7:\(records[6].hash)"])
        #expect(tailStatus == 1 && tailOutput.hasPrefix("break hall-1 #6: records end"), "\(tailOutput)")
    }
}
