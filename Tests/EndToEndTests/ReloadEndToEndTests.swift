#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting
import Testing

/// `Reload` (and SIGHUP, which does the same) on the real daemon.
@Suite("Reload end to end")
struct ReloadEndToEndTests {
    static let root = VarlinkPythonClientEndToEndTests.root

    @Test("kioskctl reload applies a changed catalog live, names the settings that need a restart, and refuses a broken file with nothing changed")
    func reload() async throws {
        // Given a daemon whose catalog is a copy of the shipped one, in a folder of its own
        let catalog = try TemporaryDirectory(prefix: "kioskd-catalog")
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("Resources/catalog").path)
        where file.hasSuffix(".toml") {
            try FileManager.default.copyItem(
                atPath: Self.root.appendingPathComponent("Resources/catalog/\(file)").path, toPath: catalog.file(file)
            )
        }
        let daemon = try DaemonProcess(extraConfig: "[catalog]\ndirectory = \"\(catalog.path)\"\n")
        defer { daemon.signal(SIGTERM) }
        #expect(await daemon.waitUntilReady())
        let socket = daemon.controlSocket
        // When nothing changed / Then the reload says so
        let unchanged = try await run("kioskctl", ["--socket", socket, "reload", "--json"])
        #expect(unchanged.status == 0, "\(unchanged.errors)")
        let first = try JSONDecoder().decode(JSONValue.self, from: Data(unchanged.output.utf8))
        #expect(first["catalog_changed"] == .bool(false) && first["needs_restart"] == .array([]) && first["applied"] == .array([]),
                "\(unchanged.output)")
        let items = try #require(first["catalog_items"]?.integerValue)
        // When a life stage leaves the catalog and [forwarding] and [session] change
        try FileManager.default.removeItem(atPath: catalog.file("person-08-living.toml"))
        var config = try String(contentsOfFile: daemon.configPath, encoding: .utf8)
        config = config.replacingOccurrences(of: "retry_base_ms = 100", with: "retry_base_ms = 250")
        config += "\n[session]\nidle_seconds = 45\n"
        try config.write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        let changed = try await run("kioskctl", ["--socket", socket, "reload"])
        // Then the catalog applied and the two tables need a restart
        #expect(changed.status == 0, "\(changed.errors)")
        #expect(changed.output.contains("changed, applied"), "\(changed.output)")
        #expect(changed.output.contains("changed, needs a restart: [forwarding], [session]"), "\(changed.output)")
        let status = try await run("kioskctl", ["--socket", socket, "reload", "--json"])
        let second = try JSONDecoder().decode(JSONValue.self, from: Data(status.output.utf8))
        #expect((second["catalog_items"]?.integerValue ?? items) < items, "\(status.output)")
        // When the file is broken / Then ReloadFailed names the problem and the catalog stays
        try (config + "\n[session\n").write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        let broken = try await run("kioskctl", ["--socket", socket, "reload"])
        #expect(broken.status == 1)
        #expect(broken.errors.contains("ReloadFailed") && broken.errors.contains("kioskd.toml"), "\(broken.errors)")
        // And SIGHUP does the same: the log says what needs a restart (a third time)
        try config.write(toFile: daemon.configPath, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(await daemon.notify.waitFor("RELOADING=1"))
        #expect(await eventually {
            ((try? String(contentsOfFile: daemon.logPath, encoding: .utf8)) ?? "").components(separatedBy: "needs a restart: [forwarding], [session]").count >= 4
        })
        #expect(daemon.process.isRunning)
    }
}
