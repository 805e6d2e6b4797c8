#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB
import KioskCore
import KioskSigning
import KioskStore
import KioskTesting

/// The ledger's numbers (`make bench BENCH=payments`):
/// - durable payments per second through kioskd's own path (order read, seal with SHA-256
///   and Ed25519, ledger record, head, order and outbox report in one transaction,
///   synchronous=FULL), against Debian's sqlite3 shell writing the same rows with the same
///   pragmas, one transaction per payment, in the same run;
/// - a ledger of a million records: sealing it, reading it back, walking the chain, the
///   signatures on every core, and start to READY on it against an empty database.
enum PaymentsBenchmark {
    static let shell = "/usr/bin/sqlite3"
    /// Bench data carries fixed times: nothing here reads the wall clock.
    static let start = Date(timeIntervalSince1970: 1_795_408_920)

    static func run(payments: Int, ledger: Int) async throws {
        print("payments and the ledger (goals: ≥ 0.8× the sqlite3 shell's durable inserts; chain of 1M ≤ 5 s; start to READY on 1M ≤ 100 ms):")
        if payments > 0 { try await durablePayments(count: payments) }
        if ledger > 0 { try await millionRecords(count: ledger) }
    }

    // MARK: Durable payments against the shell

    static func durablePayments(count: Int) async throws {
        let directory = try TemporaryDirectory(prefix: "kioskd-bench-payments")
        let path = directory.file("kioskd.sqlite")
        let database = try KioskDatabase(path: path)
        let chain = LedgerChain(signer: SwiftCryptoLedger.generate())
        let bill = Bill(kind: .water, account: "3100000001", holderMasked: "张*", amountDueFen: 12_345, period: "2026-10")
        var orders: [UUID] = []
        for index in 0..<count {
            let id = UUID()
            try await database.beginOrder(id: id, bill: bill, terminal: "hall-1", at: start)
            try await database.updateOrder(id: id, number: "PO\(index)", expiresAt: start.addingTimeInterval(300), state: .open)
            orders.append(id)
        }
        // The shell, and GRDB alone, start from the same database, before any payment.
        let copy = directory.file("shell.sqlite"), grdbCopy = directory.file("grdb.sqlite")
        guard try Subprocess.run(shell, [path, ".backup '\(copy)'"]).status == 0,
              try Subprocess.run(shell, [path, ".backup '\(grdbCopy)'"]).status == 0
        else { return print("  payments: sqlite3 .backup failed") }

        let began = monotonicSeconds()
        for (index, id) in orders.enumerated() {
            _ = try await database.recordPayment(
                orderID: id, channel: "wechat", paidAt: start, afterSession: false, chain: chain,
                at: start.addingTimeInterval(Double(index))
            )
        }
        let ours = monotonicSeconds() - began
        try database.close()

        // The same rows, read back from kioskd's file, written by the shell one payment a
        // transaction: the record, the head, the order, the report.
        func rows(_ mode: String, _ sql: String) throws -> [String] {
            let result = try Subprocess.run(shell, ["-cmd", mode, path, sql])
            return result.output.split(separator: "\n").map(String.init)
        }
        let records = try rows(".mode insert ledgerRecord", "SELECT * FROM ledgerRecord ORDER BY sequence")
        let heads = try rows(".mode list", "SELECT 'INSERT OR REPLACE INTO ledgerHead VALUES(' || quote(terminal) || ',' || sequence || ',' || quote(hash) || ');' FROM ledgerRecord ORDER BY sequence")
        let updates = try rows(".mode list", """
            SELECT 'UPDATE paymentOrder SET state = ''paid'', paidAt = ' || quote(paidAt) || ', channel = ' || quote(channel)
              || ', ledgerSequence = ' || ledgerSequence || ', afterSession = ' || afterSession || ' WHERE id = ' || quote(id) || ';'
            FROM paymentOrder ORDER BY ledgerSequence
            """)
        let reports = try rows(".mode insert outboxEntry", "SELECT * FROM outboxEntry WHERE paymentOrderID IS NOT NULL ORDER BY rowid")
        guard [records.count, heads.count, updates.count, reports.count].allSatisfy({ $0 == count }) else {
            return print("  payments: read back \(records.count)/\(heads.count)/\(updates.count)/\(reports.count) rows of \(count)")
        }
        var script = "PRAGMA journal_mode = WAL;\nPRAGMA synchronous = FULL;\nPRAGMA foreign_keys = ON;\n"
        for index in 0..<count {
            script += "BEGIN IMMEDIATE;\n\(records[index])\n\(heads[index])\n\(updates[index])\n\(reports[index])\nCOMMIT;\n"
        }
        let scriptPath = directory.file("payments.sql")
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let shellBegan = monotonicSeconds()
        let replay = try Subprocess.run(shell, [copy, ".read '\(scriptPath)'"])
        let shellSeconds = monotonicSeconds() - shellBegan
        guard replay.status == 0, !replay.output.contains("Error") else { return print("  payments: the shell's replay failed: \(replay.output.prefix(200))") }
        let shellRows = try Subprocess.run(shell, [copy, "SELECT count(*) FROM ledgerRecord"]).output.trimmingCharacters(in: .whitespacesAndNewlines)

        // The same statements through GRDB's pool as kioskd opens it, one async write each:
        // what the library costs before kioskd's own reads and sealing.
        var grdbConfiguration = Configuration()
        grdbConfiguration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        let pool = try DatabasePool(path: grdbCopy, configuration: grdbConfiguration)
        try await pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let grdbBegan = monotonicSeconds()
        for index in 0..<count {
            let statements = "\(records[index])\n\(heads[index])\n\(updates[index])\n\(reports[index])"
            try await pool.write { db in try db.execute(sql: statements) }
        }
        let grdbSeconds = monotonicSeconds() - grdbBegan
        try pool.close()

        let oursRate = Double(count) / ours, shellRate = Double(count) / shellSeconds
        print("  \(count) durable payments: kioskd \(format(oursRate, 0))/s (\(format(ours / Double(count) * 1000, 2)) ms each, sealing included) "
            + "vs sqlite3 shell \(format(shellRate, 0))/s (\(shellRows) rows): \(format(oursRate / shellRate, 2))×; "
            + "the shell's statements through GRDB alone \(format(Double(count) / grdbSeconds, 0))/s")
    }

    // MARK: A million records

    static func millionRecords(count: Int) async throws {
        let directory = try TemporaryDirectory(prefix: "kioskd-bench-ledger")
        let path = directory.file("kioskd.sqlite")
        // The daemon's own key, so that its start-up check of each tail passes.
        let key = try LedgerKeyFile.loadOrCreate(path: directory.file("ledger.key"))
        let chain = LedgerChain(signer: key.signer)
        let terminals = (1...4).map { "hall-\($0)" }
        let perTerminal = count / terminals.count

        var began = monotonicSeconds()
        let chains = try await withThrowingTaskGroup(of: [LedgerRecord].self) { group in
            for (offset, terminal) in terminals.enumerated() {
                group.addTask {
                    let entries = (0..<perTerminal).map { index in
                        LedgerEntry.payment(
                            recordedAt: start.addingTimeInterval(Double(index)), itemID: "bill-water", channel: "wechat",
                            amountFen: Int64(1_000 + index % 50_000), orderReference: "order-\(offset)-\(index)",
                            maskedAccount: "******\(String(format: "%04d", index % 10_000))"
                        )
                    }
                    return try chain.seal(entries, terminal: terminal)
                }
            }
            var all: [[LedgerRecord]] = []
            for try await sealed in group { all.append(sealed) }
            return all
        }
        let records = chains.flatMap { $0 }
        let sealing = monotonicSeconds() - began

        // Stored as the daemon stores them, in one transaction.
        try KioskDatabase(path: path).close()
        began = monotonicSeconds()
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            for record in records { try record.insert(db) }
            for last in chains.compactMap(\.last) {
                try db.execute(sql: "INSERT OR REPLACE INTO ledgerHead VALUES (?, ?, ?)", arguments: [last.terminal, last.sequence, last.hash])
            }
        }
        try queue.close()
        let storing = monotonicSeconds() - began
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0

        // Verified as `kioskctl ledger verify` does: read, walk, signatures on every core.
        let database = try KioskDatabase(path: path)
        began = monotonicSeconds()
        let (stored, heads) = try await database.ledgerForVerification(from: 1)
        let reading = monotonicSeconds() - began
        try database.close()
        let verifier = LedgerVerifier(crypto: SwiftCryptoHashing(), publicKey: key.publicKey)
        began = monotonicSeconds()
        let walk = verifier.verify(stored, expectedHeads: heads, checkingSignatures: false)
        let walking = monotonicSeconds() - began
        let cores = ProcessInfo.processInfo.activeProcessorCount
        began = monotonicSeconds()
        let full = await verifier.verify(stored, expectedHeads: heads, workers: cores)
        let verifying = monotonicSeconds() - began
        // One core's signature rate, from a sample.
        let sample = stored.prefix(20_000)
        began = monotonicSeconds()
        var valid = 0
        for record in sample {
            if let digest = LedgerHex.decode(record.hash), let signature = LedgerHex.decode(record.signature),
               SwiftCryptoHashing().isValidSignature(signature, of: digest, publicKey: key.publicKey) { valid += 1 }
        }
        let perCore = Double(sample.count) / (monotonicSeconds() - began)

        print("  \(records.count) records on \(terminals.count) terminals: sealed in \(format(sealing, 1)) s on \(cores) cores "
            + "(\(format(Double(records.count) / sealing, 0))/s, SHA-256 and Ed25519), stored in \(format(storing, 1)) s, \(size / 1_048_576) MiB")
        print("  verify: read \(format(reading, 2)) s, chain walk \(format(walking, 2)) s (\(walk.isIntact ? "intact" : "BROKEN"), \(walk.verifiedCount) records), "
            + "chain and signatures on \(cores) cores \(format(verifying, 1)) s (\(full.isIntact ? "intact" : "BROKEN")); one core checks \(format(perCore, 0)) signatures/s")

        var empty: [Double] = [], million: [Double] = []
        let emptyDirectory = try TemporaryDirectory(prefix: "kioskd-bench-ledger-empty")
        for run in 0..<5 {
            if let ready = try StartupBenchmark.startToReady(directory: emptyDirectory, databasePath: emptyDirectory.file("kioskd.sqlite"), run: run) {
                empty.append(ready * 1000)
            }
            if let ready = try StartupBenchmark.startToReady(directory: directory, databasePath: path, run: run) {
                million.append(ready * 1000)
            }
        }
        let e = Percentiles(empty), m = Percentiles(million)
        print("  start to READY, 5 runs each: \(records.count) ledger records p50 \(format(m(50))) ms (max \(format(m(100))) ms) "
            + "vs empty database p50 \(format(e(50))) ms (max \(format(e(100))) ms)")
    }
}
