import Foundation
import KioskCore
import KioskTesting
import Testing

@testable import KioskPrinting

@Suite("CUPS client against a private cupsd", .serialized, .enabled(if: PrivateCUPS.isAvailable))
struct CUPSClientTests {
    @Test("A receipt submitted through libcups arrives byte for byte at the healthy queue, named without personal data")
    func submitReceipt() async throws {
        try await withPrivateCUPS { cups in
            // Given a client on the private scheduler's socket and a receipt
            let client = CUPSClient(server: CUPSServer(host: cups.socketPath, port: 0))
            let bytes = ReceiptEncoder().encode(PrintDocument(blocks: [.heading("受理回执"), .line("申请编号 A-000001")]))
            // When it is submitted
            let id = try await client.submit(queue: "healthy", name: "kioskd acceptance-slip R-000001", format: "application/vnd.cups-raw", data: bytes)
            // Then CUPS completes it and the backend got exactly those bytes, titled by number
            #expect(await cups.wait { cups.printed(queue: "healthy").count == 1 })
            #expect(cups.printed(queue: "healthy").first?.bytes == bytes)
            #expect(cups.printed(queue: "healthy").first?.job == id)
            #expect(cups.printedTitles(queue: "healthy") == ["kioskd acceptance-slip R-000001"])
            var state = try await client.job(id: id).state
            for _ in 0..<50 where state != .completed {
                try await Task.sleep(for: .milliseconds(100))
                state = try await client.job(id: id).state
            }
            #expect(state == .completed)
        }
    }

    @Test("Over loopback the same submission works")
    func submitLoopback() async throws {
        try await withPrivateCUPS { cups in
            // Given a client on the loopback port
            let client = CUPSClient(server: CUPSServer(host: "127.0.0.1", port: cups.port))
            // When a job is submitted
            let id = try await client.submit(queue: "healthy", name: "kioskd payment-receipt R-000002", format: "application/vnd.cups-raw", data: Array("x\n".utf8))
            // Then it prints
            #expect(id > 0)
            #expect(await cups.wait { cups.printed(queue: "healthy").count == 1 })
        }
    }

    @Test("A queue out of paper is stopped with media-empty for hall staff; resume after loading paper prints the job once")
    func nopaperAndResume() async throws {
        try await withPrivateCUPS { cups in
            // Given a job sent to the queue without paper
            let client = CUPSClient(server: CUPSServer(host: cups.socketPath, port: 0))
            let id = try await client.submit(queue: "nopaper", name: "kioskd acceptance-slip R-000003", format: "application/vnd.cups-raw", data: Array("paper\n".utf8))
            // When the backend has run and the scheduler has seen it exit (the log line comes
            // first: asked in between, CUPS still says processing)
            #expect(await cups.wait { cups.backendLog().contains("exit-4") })
            for _ in 0..<100 where !(await client.printer(queue: "nopaper").isStopped) {
                try await Task.sleep(for: .milliseconds(100))
            }
            let printer = await client.printer(queue: "nopaper")
            // Then the queue is stopped, the condition is media-empty for hall staff, the job is pending
            #expect(printer.isStopped)
            #expect(printer.condition.reasons.contains("media-empty"))
            #expect(printer.condition.responsible == .hallStaff)
            #expect(try await client.job(id: id).state == .pending)
            // When paper is loaded and kioskd resumes the queue
            try cups.loadPaper("nopaper")
            try await client.resume(queue: "nopaper")
            // Then the job prints exactly once, and the printer is fine again
            #expect(await cups.wait { cups.printed(queue: "nopaper").count == 1 })
            #expect(await client.printer(queue: "nopaper").condition.canPrint)
        }
    }

    @Test("A finished job can be purged from CUPS's history")
    func purge() async throws {
        try await withPrivateCUPS { cups in
            let client = CUPSClient(server: CUPSServer(host: cups.socketPath, port: 0))
            // Given a completed job
            let id = try await client.submit(queue: "healthy", name: "kioskd service-guide R-000004", format: "application/vnd.cups-raw", data: Array("x".utf8))
            #expect(await cups.wait { cups.printed(queue: "healthy").count == 1 })
            try await Task.sleep(for: .milliseconds(300))
            // When it is purged
            try await client.cancel(id: id, purge: true)
            // Then CUPS no longer knows it
            let jobs = try await client.jobs(queue: "healthy")
            #expect(!jobs.contains { $0.id == id })
        }
    }
}
