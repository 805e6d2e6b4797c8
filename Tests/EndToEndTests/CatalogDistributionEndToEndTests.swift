#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskTesting
import Testing

/// `[catalog] source = "central"`: the built kioskd fetching the catalog the built
/// case-service publishes, over loopback.
@Suite("Catalog distribution end to end")
struct CatalogDistributionEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped catalog's files, without `leaving`, as the body of `PUT /admin/catalog`.
    static func publication(leaving: String? = nil, breaking: String? = nil) throws -> String {
        let folder = root.appendingPathComponent("Resources/catalog").path
        var files: [[String: String]] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where name.hasSuffix(".toml") && name != leaving {
            var text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            if name == breaking { text += "\n[stage\n" }
            files.append(["name": name, "text": text])
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: ["files": files]), as: UTF8.self)
    }

    /// The catalog the fleet says the kiosk has: its heartbeat's `catalog`.
    static func reportedCatalog(_ service: CaseServiceProcess) async -> [String: Any] {
        let fleet = (try? await service.send("GET", "/admin/fleet", authorization: .none).json) ?? [:]
        let kiosk = ((fleet["halls"] as? [[String: Any]])?.first?["kiosks"] as? [[String: Any]])?.first
        return (kiosk?["heartbeat"] as? [String: Any])?["catalog"] as? [String: Any] ?? [:]
    }

    @Test("A catalog published at the centre reaches a running kiosk and is kept for the next start; a broken one is refused, reported and never applied")
    func publishedCatalogReachesTheKiosk() async throws {
        try await CaseServiceProcess.withCaseServiceProcess(kiosk: "E2E-1") { service in
            // Given kioskd taking its catalog from the centre, polling and beating every second
            let daemon = try DaemonProcess(
                extraConfig: "[catalog]\nsource = \"central\"\npoll_seconds = 1\n", centralURL: service.url, token: service.token,
                centralConfig: "heartbeat_seconds = 1"
            )
            #expect(await daemon.waitUntilReady())
            // When the centre publishes the catalog without one life stage
            let published = try await service.send(
                "PUT", "/admin/catalog", headers: ["Content-Type": "application/json"], authorization: .none,
                body: try Self.publication(leaving: "person-08-living.toml")
            )
            #expect(published.status == 200, "\(published.body)")
            let version = try #require(published.json?["version"] as? String)
            #expect(published.headers["etag"] == "\"\(version)\"")
            // Then the kiosk applies it and its heartbeat reports that version from the centre
            let applied = await eventually(within: .seconds(15)) {
                let catalog = await Self.reportedCatalog(service)
                return catalog["version"] as? String == version && catalog["source"] as? String == "central"
            }
            let reported = await Self.reportedCatalog(service)
            #expect(applied, "\(reported)")
            // And it is kept in the state directory for the next start
            let kept = daemon.directory.file("catalog-central")
            #expect(!FileManager.default.fileExists(atPath: kept + "/person-08-living.toml"))
            #expect(FileManager.default.fileExists(atPath: kept + "/person-01-birth.toml"))
            // When the centre publishes a version with a broken file
            let broken = try await service.send(
                "PUT", "/admin/catalog", headers: ["Content-Type": "application/json"], authorization: .none,
                body: try Self.publication(breaking: "person-02-schooling.toml")
            )
            let brokenVersion = try #require(broken.json?["version"] as? String)
            // Then the kiosk refuses it, says so in its heartbeat with the file, and keeps the good one
            #expect(await eventually(within: .seconds(15)) {
                await Self.reportedCatalog(service)["refusedVersion"] as? String == brokenVersion
            })
            let catalog = await Self.reportedCatalog(service)
            #expect(catalog["version"] as? String == version)
            #expect((catalog["refusedReason"] as? String)?.contains("person-02-schooling.toml") == true, "\(catalog)")
            #expect(!FileManager.default.fileExists(atPath: kept + "/person-08-living.toml"))
            // And kioskctl status tells the technician which version is in force and which was refused
            let status = try await run("kioskctl", ["--socket", daemon.controlSocket, "status"])
            #expect(status.output.contains("catalog: central \(version); REFUSED \(brokenVersion) from the centre:"), "\(status.output)")
            #expect(status.output.contains("person-02-schooling.toml"))
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit() == 0)
            #expect(daemon.errorOutput().contains("central catalog refused"))
            // When kioskd starts again with the centre out of reach
            let restarted = try DaemonProcess(
                extraConfig: "[catalog]\nsource = \"central\"\npoll_seconds = 1\n", reusing: daemon.directory
            )
            #expect(await restarted.waitUntilReady())
            restarted.signal(SIGTERM)
            #expect(await restarted.waitForExit() == 0)
            // Then it started with the good version it kept from the centre
            let loaded = restarted.errorOutput().split(separator: "\n").first { $0.contains("catalog loaded") } ?? ""
            #expect(loaded.contains("source=central") && loaded.contains("version=\(version)"), "\(loaded)")
        }
    }
}
