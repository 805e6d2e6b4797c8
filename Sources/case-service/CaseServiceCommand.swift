import ArgumentParser
import CaseService
import Foundation
import Hummingbird
import Logging

/// `case-service`: the reference central case service, on loopback.
@main
struct CaseServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case-service",
        abstract: "The reference implementation of the central case service contract (loopback only).",
        discussion: """
            Faults can also be changed while running: PUT /admin/faults with a JSON body of
            latencyMilliseconds, errorRates ({"503": 0.2}), retryAfterSeconds, outageSeconds
            and commitThenDrop; GET /admin/stats counts applications, repeats and drops.
            POST /admin/payment-orders/ID/pay[?channel=alipay] pays an order by hand.
            """
    )

    @Option(name: .long, help: "The TCP port on 127.0.0.1; 0 picks a free one.")
    var port: Int = 8086

    @Option(name: .long, help: "The SQLite database file (default: a temporary file).")
    var database: String?

    @Option(name: .long, help: "A kiosk's bearer token as TOKEN=KIOSK (repeatable; default demo-token=demo).")
    var token: [String] = []

    @Option(name: .long, help: "Milliseconds added to every contract request.")
    var latencyMs: Int = 0

    @Option(name: .long, help: "Answer a share of requests with a status: CODE=RATE, e.g. 503=0.2 (repeatable).")
    var errorRate: [String] = []

    @Option(name: .long, help: "The Retry-After seconds sent with 503 and 429.")
    var retryAfter: Int = 1

    @Option(name: .long, help: "Answer everything with 503 for this many seconds from the start.")
    var outageSeconds: Double = 0

    @Option(name: .long, help: "The share of successful submissions whose response is dropped after the commit.")
    var commitThenDrop: Double = 0

    @Option(name: .long, help: "Move unfinished cases one status along every this many seconds (0: only by admin call).")
    var advanceEvery: Double = 0

    @Option(name: .long, help: "Payment orders pay themselves this many seconds after they are created (demo; 0: only by admin call).")
    var autoPayAfter: Double = 0

    @Option(name: .long, help: "Seconds a payment order waits to be paid before it expires.")
    var orderSeconds: Double = 300

    func validate() throws {
        for pair in token + errorRate where pair.split(separator: "=").count != 2 {
            throw ValidationError("expected NAME=VALUE, got \(pair)")
        }
        for pair in errorRate where Double(pair.split(separator: "=")[1]) == nil {
            throw ValidationError("expected CODE=RATE with a number, got \(pair)")
        }
    }

    func run() async throws {
        var tokens: [String: String] = [:]
        for pair in token {
            let parts = pair.split(separator: "=", maxSplits: 1)
            tokens[String(parts[0])] = String(parts[1])
        }
        var rates: [String: Double] = [:]
        for pair in errorRate {
            let parts = pair.split(separator: "=", maxSplits: 1)
            rates[String(parts[0])] = Double(parts[1])
        }
        let faults = FaultSettings(
            latencyMilliseconds: latencyMs, errorRates: rates, retryAfterSeconds: retryAfter,
            outageSeconds: outageSeconds, commitThenDrop: commitThenDrop
        )
        let application = try CaseServiceApplication.build(
            configuration: .init(
                port: port, databasePath: database, tokens: tokens.isEmpty ? ["demo-token": "demo"] : tokens,
                faults: faults, advanceEvery: advanceEvery > 0 ? .milliseconds(Int64(advanceEvery * 1000)) : nil,
                payments: PaymentSettings(orderLifetime: orderSeconds, autoPayAfter: autoPayAfter > 0 ? autoPayAfter : nil)
            )
        ) { url in
            // The first line on stdout tells a parent process (the demo, the tests) the URL.
            try? FileHandle.standardOutput.write(contentsOf: Data("case-service listening on \(url)\n".utf8))
        }
        try await application.runService()
    }
}
