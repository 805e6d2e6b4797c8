#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskControl
import KioskTesting
import Testing

/// Heartbeats from the built kioskd to the built case-service, over loopback.
@Suite("Heartbeats and the fleet end to end")
struct FleetEndToEndTests {
    @Test("A running kioskd appears in case-service's fleet within a heartbeat, with its hall; Status says the heartbeat was accepted")
    func daemonAppearsInTheFleet() async throws {
        try await CaseServiceProcess.withCaseServiceProcess(kiosk: "E2E-1") { service in
            // Given case-service knowing kiosk E2E-1's token, and kioskd E2E-1 of hall "E2E Hall" using it
            let daemon = try DaemonProcess(extraConfig: "[hall]\nname = \"E2E Hall\"\n", centralURL: service.url, token: service.token)
            #expect(await daemon.waitUntilReady())
            // When the fleet is asked (the first heartbeat goes at start, the next after 60 s)
            var fleet: [String: any Sendable] = [:]
            let listed = await eventually(within: .seconds(15)) {
                fleet = (try? await service.send("GET", "/admin/fleet", authorization: .none).json) ?? [:]
                return (fleet["kioskCount"] as? Int) == 1
            }
            // Then the kiosk is there, in its hall, fresh, with its version and catalog
            #expect(listed, "not in the fleet: \(fleet)")
            let halls = fleet["halls"] as? [[String: Any]] ?? []
            let kiosk = (halls.first?["kiosks"] as? [[String: Any]])?.first ?? [:]
            #expect(halls.first?["name"] as? String == "E2E Hall")
            #expect(kiosk["kioskId"] as? String == "E2E-1" && kiosk["stale"] as? Bool == false)
            let heartbeat = kiosk["heartbeat"] as? [String: Any] ?? [:]
            #expect(heartbeat["version"] as? String == "0.1.0" && heartbeat["intervalSeconds"] as? Int == 60)
            let catalog = heartbeat["catalog"] as? [String: Any] ?? [:]
            #expect(catalog["source"] as? String == "local" && (catalog["version"] as? String)?.hasPrefix("sha256:") == true)
            // And Status tells the technician the heartbeat was accepted (the centre stores the
            // heartbeat before kioskd has read its answer, so this may lag the fleet a little)
            let socket = daemon.controlSocket
            var reported: JSONValue?
            let accepted = await eventually(within: .seconds(10)) {
                reported = (try? await offPool { try VarlinkClient(socketPath: socket).call("io.kioskd.Control.Status") })?["heartbeat"]
                return reported?["accepted"] == .bool(true) && reported?["outcome"] == .string("accepted")
            }
            #expect(accepted, "Status heartbeat: \(String(describing: reported))")
            daemon.signal(SIGTERM)
            #expect(await daemon.waitForExit() == 0)
        }
    }
}

/// Debian's chromium, which `make test-deps` installs.
private let chromium = "/usr/bin/chromium"

@Suite("The fleet page in headless Chromium", .enabled(if: FileManager.default.isExecutableFile(atPath: chromium)))
struct FleetPageChromiumTests {
    /// A heartbeat body as a kiosk sends it.
    static func heartbeat(kiosk: String, hall: String, interval: Int, printerFault: Bool = false, pending: Int = 0) -> String {
        let severity = printerFault ? "fault" : "ok"
        let reasons = printerFault ? #"["media-empty"]"# : "[]"
        let oldest = pending > 0 ? #", "oldestPendingSeconds": 1200"# : ""
        return """
            {"kioskId": "\(kiosk)", "hall": "\(hall)", "version": "0.1.0", "sentAt": "2026-12-02T08:00:00Z", "uptimeSeconds": 7200,
             "intervalSeconds": \(interval),
             "terminals": [{"name": "hall-1", "profile": "citizen", "state": "open", "locked": false, "errors": 0}],
             "printers": [{"role": "receipt", "queue": "kiosk-receipt", "state": "idle", "severity": "\(severity)",
                           "responsible": "\(printerFault ? "hall-staff" : "nobody")", "reasons": \(reasons), "pendingJobs": 0, "failedJobs": 0}],
             "outbox": {"pending": \(pending), "dead": 0\(oldest)}, "storage": "ok", "ledgerHeads": [],
             "catalog": {"source": "local", "version": "sha256:0123456789abcdef"}}
            """
    }

    @Test("The fleet page lists the stale kiosk first and highlighted, then faults and backlogs, with kiosk text escaped; Chromium renders it")
    func stalePageInChromium() async throws {
        try await CaseServiceProcess.withCaseServiceProcess(
            kiosk: "A-1", moreTokens: ["token-a2": "A-2", "token-b1": "B-1", "token-b2": "B-2"]
        ) { service in
            // Given four kiosks in two halls: A-1 beats every second and then falls silent, A-2
            // is out of paper, B-1 has a backlog, B-2 is fine, and hall B's name carries markup
            let put: @Sendable (String, String, String) async throws -> Int = { kiosk, token, body in
                try await service.send(
                    "PUT", "/v1/kiosks/\(kiosk)/heartbeat", headers: ["Content-Type": "application/json"],
                    authorization: .header("Bearer \(token)"), body: body
                ).status
            }
            #expect(try await put("A-1", service.token, Self.heartbeat(kiosk: "A-1", hall: "第一大厅 Hall A", interval: 1)) == 200)
            #expect(try await put("A-2", "token-a2", Self.heartbeat(kiosk: "A-2", hall: "第一大厅 Hall A", interval: 60, printerFault: true)) == 200)
            #expect(try await put("B-1", "token-b1", Self.heartbeat(kiosk: "B-1", hall: "Hall B <i>east</i>", interval: 60, pending: 7)) == 200)
            #expect(try await put("B-2", "token-b2", Self.heartbeat(kiosk: "B-2", hall: "Hall B <i>east</i>", interval: 60)) == 200)
            // And a kiosk cannot beat for another
            #expect(try await put("A-2", service.token, Self.heartbeat(kiosk: "A-2", hall: "x", interval: 60)) == 404)
            // When more than three of A-1's intervals pass without a heartbeat
            let stale = await eventually(within: .seconds(8)) {
                (try? await service.send("GET", "/admin/fleet", authorization: .none).json?["staleCount"] as? Int) == 1
            }
            #expect(stale)
            // And headless Chromium loads the page, once for a screenshot and once for its DOM
            let directory = try TemporaryDirectory(prefix: "fleet-chromium")
            let screenshot = directory.file("fleet.png")
            let dom = directory.file("fleet.html")
            let url = service.url + "/fleet"
            let common = "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --hide-scrollbars"
                + " --user-data-dir='\(directory.file("profile"))' --window-size=1400,900"
            let shot = try await offPool {
                try Subprocess.run("/bin/sh", ["-c", "timeout 90 \(chromium) \(common) --screenshot='\(screenshot)' '\(url)'"])
            }
            let dumped = try await offPool {
                try Subprocess.run("/bin/sh", ["-c", "timeout 90 \(chromium) \(common) --dump-dom '\(url)' > '\(dom)' 2>/dev/null"])
            }
            // Then the screenshot is a PNG
            #expect(shot.status == 0, "\(shot.output.suffix(2000))")
            let png = FileManager.default.contents(atPath: screenshot) ?? Data()
            #expect(png.count > 10_000 && png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            print("fleet page screenshot: \(screenshot) (\(png.count) bytes)")
            if let keep = ProcessInfo.processInfo.environment["KIOSKD_FLEET_SCREENSHOT"] {
                try? FileManager.default.removeItem(atPath: keep)
                try? FileManager.default.copyItem(atPath: screenshot, toPath: keep)
            }
            // And the page Chromium built says what the fleet is, the urgent first
            #expect(dumped.status == 0)
            let html = (try? String(contentsOfFile: dom, encoding: .utf8)) ?? ""
            #expect(html.contains("4 kiosks in 2 halls: 1 stale, 1 with faults, 1 with a backlog."), "\(html.prefix(3000))")
            #expect(html.contains("<tr class=\"stale\"><td class=\"kiosk\">A-1</td>"))
            #expect(html.contains("<li>receipt printer fault: media-empty (hall-staff)</li>"))
            #expect(html.contains("Hall B &lt;i&gt;east&lt;/i&gt;") && !html.contains("<i>"))
            let order = ["A-1", "A-2", "B-1", "B-2"].map { html.range(of: "<td class=\"kiosk\">\($0)</td>")?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "rows out of order")
        }
    }
}
