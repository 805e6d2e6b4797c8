import Foundation
import KioskCore
import KioskPrinting
import KioskSigning
import KioskStore
import Logging

extension KioskConfiguration.Printing {
    /// The CUPS server: a socket path, or a loopback host and port.
    var cupsServer: CUPSServer {
        guard !server.hasPrefix("/"), let colon = server.lastIndex(of: ":"), let port = Int32(server[server.index(after: colon)...]) else {
            return CUPSServer(host: server, port: 0)
        }
        let host = String(server[..<colon])
        return CUPSServer(host: host == "[::1]" ? "::1" : host, port: port)
    }

    var serviceConfiguration: PrintServiceConfiguration {
        PrintServiceConfiguration(
            queues: [.receipt: receiptQueue, .document: documentQueue],
            receiptColumns: receiptColumns,
            pollInterval: .milliseconds(pollIntervalMilliseconds),
            noProgressTimeout: .seconds(noProgressSeconds),
            resumeAfter: resume == .automatic ? .seconds(resumeAfterSeconds) : nil,
            outcomeWait: .seconds(waitSeconds),
            purgeFinished: purgeFinished
        )
    }
}

/// The print service of the daemon, on the configured CUPS server, recording its jobs in
/// the store's database and checking reprint proofs against it, calling `onChange` when a
/// printer starts or stops being usable. A document font that cannot be read is logged,
/// and only document jobs fail ("font-missing"): receipts still print.
func makePrintService(
    _ configuration: KioskConfiguration, store: DaemonStore, time: TimeEnvironment, logger: Logger,
    onChange: @escaping @Sendable () -> Void
) -> PrintService {
    let printing = configuration.printing
    var renderer: DocumentRenderer?
    do {
        renderer = try DocumentRenderer(fontPath: printing.documentFont, faceIndex: printing.documentFontFace)
    } catch {
        logger.error("document font not usable; documents will not print", metadata: ["error": "\(error)"])
    }
    return PrintService(
        configuration: printing.serviceConfiguration, cups: CUPSClient(server: printing.cupsServer), store: store.database,
        templates: TemplateLoader.embedded(timeZone: time.timeZone), document: renderer, time: time, logger: logger,
        proofChecker: StoredReprintProof(database: store.database, catalog: store.catalog, hashing: SwiftCryptoHashing()),
        onChange: onChange
    )
}
