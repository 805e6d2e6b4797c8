import CaseServiceAPI
import Foundation
import KioskForwarding
import OpenAPIRuntime
import Testing

@Suite("Internet date transcoder")
struct InternetDateTranscoderTests {
    let fast = InternetDateTranscoder()
    let reference = ISO8601DateTranscoder.iso8601

    @Test("Dates are written exactly as the runtime's ISO 8601 transcoder writes them")
    func encodesLikeTheReference() throws {
        // Given dates across four centuries, before and after 1970, with fractions of a second
        var generator = SystemRandomNumberGenerator()
        var dates = [Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: -0.5), Date(timeIntervalSince1970: 1_795_400_000.999),
                     Date(timeIntervalSince1970: 951_782_400), Date(timeIntervalSince1970: 4_107_542_399),
                     Date(timeIntervalSince1970: 181_164_044.99970818), Date(timeIntervalSince1970: -181_164_044.9997)]
        for _ in 0..<20_000 { dates.append(Date(timeIntervalSince1970: Double.random(in: -5_000_000_000...8_000_000_000, using: &generator))) }
        // When both write them / Then the strings are the same, and read back to the same second
        for date in dates {
            let text = try fast.encode(date)
            #expect(text == (try reference.encode(date)), "\(date.timeIntervalSince1970)")
            #expect(try fast.decode(text) == (try reference.decode(text)), "\(text)")
        }
    }

    @Test("Offsets and fractions are read; other forms go to the runtime's transcoder or fail as before")
    func readsOffsetsAndFractions() throws {
        // Given the same instant written three ways
        let utc = try fast.decode("2026-11-23T06:05:00Z")
        // Then each reads as that instant
        #expect(try fast.decode("2026-11-23T14:05:00+08:00") == utc)
        #expect(try fast.decode("2026-11-22T22:05:00-08:00") == utc)
        #expect(try fast.decode("2026-11-23T06:05:00.250Z") == utc.addingTimeInterval(0.25))
        #expect(utc.timeIntervalSince1970 == 1_795_413_900)
        // And text that is no date is refused, as the runtime's transcoder refuses it
        #expect(throws: (any Error).self) { try fast.decode("2026-13-01T00:00:00Z") }
        #expect(throws: (any Error).self) { try fast.decode("yesterday") }
        #expect(throws: (any Error).self) { try fast.decode("2026-11-23T06:05:00") }
    }
}
