#if canImport(Glibc)
import Glibc
#endif
import Foundation
import KioskCore
import KioskDaemon
import KioskTesting
import Logging
import Testing

@Suite("journald native protocol")
struct JournalLogHandlerTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A logger writing to a fake journal socket, and the socket.
    static func journal(_ directory: TemporaryDirectory) throws -> (Logger, NotifySocket) {
        let socket = try NotifySocket(path: directory.file("journal"))
        let connection = try #require(JournalConnection(path: socket.path))
        let time = TestClock()
        let logger = Logger(label: "kioskd.printing") { label in
            JournalLogHandler(
                label: label, journal: connection,
                fallback: HallLogHandler(label: label, time: time, timeZone: TimeZone(identifier: "Asia/Shanghai")!)
            )
        }
        return (logger, socket)
    }

    static func fields(_ datagram: [UInt8]) -> [String: String] {
        Dictionary(JournalFields.parse(datagram) ?? [], uniquingKeysWith: { $1 })
    }

    @Test("A printer fault reaches the journal as one entry with priority 4, its MESSAGE_ID and its fields")
    func printerFaultEntry() async throws {
        // Given a logger on a fake journal socket
        let directory = try TemporaryDirectory()
        let (logger, socket) = try Self.journal(directory)
        // When a printer fault is logged with a hostile control character in a reason
        logger.warning("printer fault", metadata: [
            "event": .string(LogMessageKind.printerFault.rawValue), "role": "receipt",
            "reasons": "media-empty\u{1B}[2J", "responsible": "hall-staff",
        ])
        // Then one datagram arrives with the journal's fields
        #expect(await eventually(within: .seconds(2)) { !socket.receivedDatagrams().isEmpty })
        let datagrams = socket.receivedDatagrams()
        #expect(datagrams.count == 1)
        let fields = Self.fields(datagrams[0])
        #expect(fields["PRIORITY"] == "4")
        #expect(fields["MESSAGE_ID"] == LogMessageKind.printerFault.messageID)
        #expect(fields["SYSLOG_IDENTIFIER"] == "kioskd" && fields["KIOSKD_LOGGER"] == "kioskd.printing")
        #expect(fields["KIOSKD_ROLE"] == "receipt" && fields["KIOSKD_RESPONSIBLE"] == "hall-staff")
        #expect(fields["KIOSKD_EVENT"] == "printer-fault")
        #expect(fields["MESSAGE"]?.hasSuffix("printer fault") == true && fields["MESSAGE"]?.contains("responsible=hall-staff") == true)
        // And no control character reaches it
        #expect(!datagrams[0].contains(0x1B))
        #expect(fields["CODE_FILE"]?.hasSuffix("JournalLogHandlerTests.swift") == true && Int(fields["CODE_LINE"] ?? "") != nil)
    }

    @Test("Routine lines carry their level's priority and no MESSAGE_ID")
    func routinePriorities() async throws {
        // Given a logger on a fake journal socket
        let directory = try TemporaryDirectory()
        let (logger, socket) = try Self.journal(directory)
        // When a line is logged at each level from info to critical
        logger.info("print job printed", metadata: ["number": "R-000001"])
        logger.notice("held print job released")
        logger.error("cannot store a print job's state")
        logger.critical("storage full", metadata: ["event": .string(LogMessageKind.storageFull.rawValue)])
        // Then each has syslog's priority, and only the named event a MESSAGE_ID
        #expect(await eventually(within: .seconds(2)) { socket.receivedDatagrams().count == 4 })
        let entries = socket.receivedDatagrams().map(Self.fields)
        #expect(entries.map { $0["PRIORITY"] } == ["6", "5", "3", "2"])
        #expect(entries.map { $0["MESSAGE_ID"] } == [nil, nil, nil, LogMessageKind.storageFull.messageID])
        #expect(entries[0]["KIOSKD_NUMBER"] == "R-000001")
    }

    @Test("A value with a newline goes in the binary form, and every datagram parses back, whole")
    func binaryForm() {
        // Given fields, one with a newline
        let fields = [("MESSAGE", "line one\nline two"), ("PRIORITY", "5"), ("EMPTY", "")]
        // When encoded
        let bytes = JournalFields.datagram(fields)
        // Then the multi-line value is the name, a newline, a little-endian length and the value
        let header = Array("MESSAGE\n".utf8) + [17, 0, 0, 0, 0, 0, 0, 0]
        #expect(Array(bytes.prefix(header.count)) == header)
        #expect(JournalFields.parse(bytes)?.map { "\($0.0)=\($0.1)" } == fields.map { "\($0.0)=\($0.1)" })
        // And a datagram cut anywhere inside the binary value does not parse as whole
        for cut in 1..<bytes.count where bytes[cut - 1] != UInt8(ascii: "\n") {
            #expect(JournalFields.parse(Array(bytes.prefix(cut))) == nil, "cut at \(cut)")
        }
    }

    @Test("Metadata keys become KIOSKD_ fields; a key that cannot be a field name is left out")
    func fieldNames() {
        #expect(JournalFields.name(forMetadataKey: "cupsJob") == "KIOSKD_CUPSJOB")
        #expect(JournalFields.name(forMetadataKey: "interval_s") == "KIOSKD_INTERVAL_S")
        #expect(JournalFields.name(forMetadataKey: "free-MB") == "KIOSKD_FREE_MB")
        #expect(JournalFields.name(forMetadataKey: "") == nil)
        #expect(JournalFields.name(forMetadataKey: String(repeating: "k", count: 60)) == nil)
    }

    @Test("The journal is used only when JOURNAL_STREAM names this process's standard error")
    func journalStreamDetection() {
        // Given standard error's device and inode
        var info = stat()
        #expect(fstat(STDERR_FILENO, &info) == 0)
        // Then a matching JOURNAL_STREAM selects the journal, anything else does not
        #expect(JournalConnection.standardErrorIsJournal(environment: ["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"]))
        #expect(!JournalConnection.standardErrorIsJournal(environment: ["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino + 1)"]))
        #expect(!JournalConnection.standardErrorIsJournal(environment: ["JOURNAL_STREAM": "garbage"]))
        #expect(!JournalConnection.standardErrorIsJournal(environment: [:]))
    }

    @Test("An entry journald does not take is reported as not sent")
    func journalGone() throws {
        let directory = try TemporaryDirectory()
        let connection = try #require(JournalConnection(path: directory.file("no-journal-here")))
        #expect(!connection.send(JournalFields.datagram([("MESSAGE", "x")])))
    }

    @Test(
        "Every event has one catalog entry with its id, journalctl reads the catalog, and the README lists the ids",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/journalctl"))
    )
    func catalogMatchesTheEvents() async throws {
        // Given the shipped catalog and README
        let catalog = try String(contentsOf: Self.repository.appendingPathComponent("systemd/kioskd.catalog"), encoding: .utf8)
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let ids = catalog.split(separator: "\n").filter { $0.hasPrefix("-- ") }.map { String($0.dropFirst(3)) }
        // Then the catalog has exactly the events' ids, each once, and the README names each
        #expect(ids.sorted() == LogMessageKind.allCases.map(\.messageID).sorted())
        for kind in LogMessageKind.allCases {
            #expect(readme.contains(kind.messageID) && readme.contains("`\(kind.rawValue)`"), "README lacks \(kind.rawValue)")
        }
        // And journalctl compiles it and lists every id with a subject
        let root = try TemporaryDirectory(prefix: "journal-root")
        try FileManager.default.createDirectory(atPath: root.file("usr/lib/systemd/catalog"), withIntermediateDirectories: true)
        try catalog.write(toFile: root.file("usr/lib/systemd/catalog/kioskd.catalog"), atomically: true, encoding: .utf8)
        let rootPath = root.path
        let update = try await offPool { try Subprocess.run("/usr/bin/journalctl", ["--root=\(rootPath)", "--update-catalog"]) }
        #expect(update.status == 0, "\(update.output)")
        let listed = try await offPool { try Subprocess.run("/usr/bin/journalctl", ["--root=\(rootPath)", "--list-catalog"]) }
        for kind in LogMessageKind.allCases {
            #expect(listed.output.contains("\(kind.messageID) kioskd: "), "\(listed.output)")
        }
    }
}
