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
        abstract: "The reference implementation of the central case service contract (loopback only)."
    )

    @Option(name: .long, help: "The TCP port on 127.0.0.1; 0 picks a free one.")
    var port: Int = 8086

    @Option(name: .long, help: "The SQLite database file (default: a temporary file).")
    var database: String?

    func run() async throws {
        let application = try CaseServiceApplication.build(
            configuration: .init(port: port, databasePath: database)
        ) { url in
            // The first line on stdout tells a parent process (the demo, the tests) the URL.
            FileHandle.standardOutput.write(Data("case-service listening on \(url)\n".utf8))
        }
        try await application.runService()
    }
}
