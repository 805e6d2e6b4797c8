#if canImport(Glibc)
import Glibc
#endif
import Foundation
@testable import KioskDaemon
import KioskTesting
import Testing

@Suite("Export folder")
struct ExportFolderTests {
    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? 0) & 0o777
    }

    @Test("An export is written 0600 in a 0700 folder even under umask 0, and a second export replaces the first whole")
    func modesAndReplace() throws {
        // Given a state directory whose exports/ folder was left open (0755), and a umask
        // that takes nothing away
        let state = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: state.file("exports"), withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        let previous = umask(0)
        defer { umask(previous) }
        let folder = ExportFolder(stateDirectory: state.path)
        // When an export is written, then written again shorter
        let path = try folder.save("first,export\r\nwith two lines\r\n", as: "ledger-2026-11-23.csv")
        let again = try folder.save("second\r\n", as: "ledger-2026-11-23.csv")
        // Then the folder is 0700, the file 0600 with only the second contents, and no
        // temporary file is left
        #expect(path == state.file("exports/ledger-2026-11-23.csv") && again == path)
        #expect(try mode(state.file("exports")) == 0o700)
        #expect(try mode(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\r\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: state.file("exports")) == ["ledger-2026-11-23.csv"])
    }

    @Test("An exports folder that is a symbolic link is refused, and nothing is written through it")
    func symlinkRefused() throws {
        // Given exports/ pointing elsewhere
        let state = try TemporaryDirectory()
        let elsewhere = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: state.file("exports"), withDestinationPath: elsewhere.path)
        // When an export is written / Then it fails, naming the folder, and the target stays empty
        #expect {
            try ExportFolder(stateDirectory: state.path).save("x\r\n", as: "ledger-2026-11-23.csv")
        } throws: { "\($0)".contains("exports is not a directory") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
    }
}
