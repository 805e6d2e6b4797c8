import Foundation
import KioskTesting
import Testing

/// True when Debian's python3 has schemathesis (`make test-deps` installs it with
/// scripts/pip-ensure).
private let schemathesisInstalled: Bool = {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return false }
    return (try? Subprocess.run("/usr/bin/python3", ["-c", "import schemathesis"]).status) == 0
}()

@Suite("case-service under schemathesis", .serialized, .enabled(if: schemathesisInstalled))
struct CaseServiceSchemathesisEndToEndTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let contract = repository.appendingPathComponent("Resources/openapi/case-service.yaml").path
    static let configuration = repository.appendingPathComponent("scripts/schemathesis/schemathesis.toml").path
    static let hooks = repository.appendingPathComponent("scripts/schemathesis").path

    @Test("schemathesis run with its default checks finds nothing in the built case-service (fixed seed, bounded examples)")
    func schemathesisIsClean() async throws {
        try await CaseServiceProcess.withCaseServiceProcess { service in
            // Given the built case-service on loopback and the contract it serves
            let started = ContinuousClock.now
            // When schemathesis runs every phase and every default check against it, with a
            // fixed seed and a bounded number of examples per operation
            let arguments = [
                "-m", "schemathesis.cli", "--no-color", "--config-file", Self.configuration,
                "run", Self.contract, "--url", service.url, "--header", "Authorization: Bearer \(service.token)",
                "--seed", "20261123", "--max-examples", "25", "--workers", "1", "--generation-database", "none",
                "--request-timeout", "10",
            ]
            var environment = ProcessInfo.processInfo.environment
            // The hooks teach the generator the one rule a schema cannot say (the
            // Idempotency-Key is the body's id), so valid requests really are valid.
            environment["SCHEMATHESIS_HOOKS"] = "case_service_hooks"
            environment["PYTHONPATH"] = Self.hooks
            environment["PYTHONDONTWRITEBYTECODE"] = "1"
            let settings = environment
            // It runs in a temporary folder (GNU env -C), where schemathesis and Hypothesis
            // keep their caches, so nothing is left in the repository.
            let scratch = try TemporaryDirectory(prefix: "schemathesis")
            let result = try await offPool {
                try Subprocess.run("/usr/bin/env", ["-C", scratch.path, "/usr/bin/python3"] + arguments, environment: settings)
            }
            let seconds = (ContinuousClock.now - started).components.seconds
            print("schemathesis against case-service: exit \(result.status) after \(seconds) s")
            // Then it exits cleanly: no failure of any check, no error
            #expect(result.status == 0, "schemathesis found failures:\n\(result.output.suffix(20_000))")
        }
    }
}
