import Foundation
import KioskControl
import Testing

@Suite("Attach messages")
struct AttachMessageTests {
    @Test("A request says whether the tty draws double-size lines; one from an older client means no")
    func doubleSizeLines() throws {
        // Given a request from this kioskctl with --double-size-lines, and one without the field
        let current = AttachRequest(terminal: "hall-3", profile: "citizen", device: "/dev/tty3", doubleSizeLines: true)
        let older = Data(#"{"terminal":"hall-3","profile":"citizen","device":"/dev/tty3"}"#.utf8)
        // When both are decoded as kioskd decodes them
        let decoded = try JSONDecoder().decode(AttachRequest.self, from: JSONEncoder().encode(current))
        let decodedOlder = try JSONDecoder().decode(AttachRequest.self, from: older)
        // Then the flag arrives, and its absence reads as no
        #expect(decoded.doubleSizeLines == true)
        #expect(decodedOlder.doubleSizeLines == nil)
        #expect(decodedOlder.terminal == "hall-3")
    }
}
