import Foundation
import KioskCore
import KioskSigning
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Ledger key file", .serialized)
struct LedgerKeyFileTests {
    private func mode(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("The key is created at first start with mode 0600 even under umask 0, and loaded the same after")
    func createdPrivate() throws {
        // Given an empty state directory and a umask that takes nothing away
        let directory = try LedgerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ledger.key").path
        let previous = umask(0)
        defer { umask(previous) }
        // When the key is loaded or created twice
        let first = try LedgerKeyFile.loadOrCreate(path: path)
        let second = try LedgerKeyFile.loadOrCreate(path: path)
        // Then the first call created it, 0600 and 32 bytes, the second loaded the same key
        #expect(first.created && !second.created)
        #expect(try mode(path) == 0o600)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 32)
        #expect(first.publicKey == second.publicKey && first.publicKey.count == 32)
        #expect(Data(base64Encoded: first.publicKeyBase64).map(Array.init) == first.publicKey)
        // And no temporary file is left beside it
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["ledger.key"])
        // And it signs what it verifies
        let digest = second.signer.sha256(Array("x".utf8))
        #expect(second.signer.isValidSignature(try second.signer.sign(digest), of: digest, publicKey: first.publicKey))
    }

    @Test("A key file group or others may read is refused with a clear error, and left in place")
    func groupReadableRefused() throws {
        // Given a key made group-readable
        let directory = try LedgerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ledger.key").path
        let created = try LedgerKeyFile.loadOrCreate(path: path)
        #expect(chmod(path, 0o640) == 0)
        // When it is loaded
        // Then loading throws an error saying it is too open, and the file keeps its key
        do {
            _ = try LedgerKeyFile.loadOrCreate(path: path)
            Issue.record("a group-readable key was accepted")
        } catch let error as LedgerKeyError {
            #expect(error.isTooOpen)
            #expect(error.description.contains("0640") && error.description.contains("chmod 600"))
        }
        #expect(chmod(path, 0o600) == 0)
        #expect(try LedgerKeyFile.loadOrCreate(path: path).publicKey == created.publicKey)
    }

    @Test("A key file of the wrong size is refused, not replaced")
    func malformedRefused() throws {
        // Given a key file holding 5 bytes
        let directory = try LedgerFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ledger.key").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("short".utf8), attributes: [.posixPermissions: 0o600]))
        // When it is loaded
        // Then loading throws and the file is left as it was
        #expect(throws: LedgerKeyError.self) { try LedgerKeyFile.loadOrCreate(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("short".utf8))
    }
}
