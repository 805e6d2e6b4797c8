import Foundation
import KioskCore
import KioskTesting
import Testing

@Suite("Pinyin search")
struct PinyinSearchTests {
    @Test("Characters spell as typed without an input method: toneless, ü as v, both common readings")
    func spellings() {
        #expect(Pinyin.readings(of: "公") == ["gong"])
        #expect(Pinyin.readings(of: "绿").first == "lv")
        #expect(Set(Pinyin.readings(of: "行")) == ["xing", "hang"])
        #expect(Pinyin.readings(of: "A").isEmpty)
        let spelled = Pinyin.spellings(of: "公积金")
        #expect(spelled.full == ["gongjijin"])
        #expect(spelled.initials == ["gjj"])
        #expect(Pinyin.spellings(of: "银行").full.contains("yinhang"))
        #expect(Pinyin.spellings(of: "A1 办").full == ["a1ban"])
    }

    @Test("Search finds 公积金 by initials and full pinyin, and the restaurant bundle by what citizens say")
    func search() throws {
        // Given the shipped catalog
        let catalog = try Catalog.shipped()
        // When searching by initials, full pinyin, or a synonym
        let byInitials = catalog.search("gjj", profile: .citizen).map(\.name.chinese)
        let byFull = catalog.search("gongjijin", profile: .citizen).map(\.name.chinese)
        let bySynonym = catalog.search("开饭店", profile: .citizen).map(\.id)
        // Then the housing fund items and the restaurant bundle are found
        #expect(!byInitials.isEmpty && byInitials.allSatisfy { $0.contains("公积金") || !$0.isEmpty })
        #expect(byInitials.contains { $0.contains("公积金") }, "\(byInitials)")
        #expect(byFull.contains { $0.contains("公积金") }, "\(byFull)")
        #expect(bySynonym.contains("restaurant-one-thing"), "\(bySynonym)")
        // And English still works, and a one-letter word is not read as initials
        #expect(catalog.search("pension", profile: .citizen).contains { $0.id == "resident-pension-claim" })
        #expect(catalog.search("g", profile: .citizen).count < catalog.stages.flatMap(\.items).count)
    }
}
