import Foundation
import KioskControl
import Testing

@Suite("Varlink JSON values")
struct JSONValueTests {
    @Test("A number that a double rounds to a whole Int64 reads as that integer, so a call decodes the same after it is sent again (found by the varlink fuzzer)")
    func wholeDoublesAreIntegers() throws {
        // Given a call whose parameter has a fraction a double cannot hold
        let bytes = Data(#"{"method":"a.b","parameters":{"c":92233720368547758.007,"d":1.5,"e":1e300}}"#.utf8)
        // When it is decoded, encoded as kioskd sends it, and decoded again
        let call = try JSONDecoder().decode(VarlinkCall.self, from: bytes)
        let again = try JSONDecoder().decode(VarlinkCall.self, from: Data(try call.frame().dropLast()))
        // Then both readings are the same: the whole number an integer, the others doubles
        #expect(again == call)
        #expect(call.parameters?["c"] == .integer(92_233_720_368_547_760))
        #expect(call.parameters?["d"] == .number(1.5))
        #expect(call.parameters?["e"] == .number(1e300))
        #expect(call.parameters?["c"]?.integerValue == 92_233_720_368_547_760)
    }
}
