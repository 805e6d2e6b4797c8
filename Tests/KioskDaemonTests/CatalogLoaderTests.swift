import Foundation
import KioskCore
import KioskDaemon
import Testing

@Suite("Catalog")
struct CatalogLoaderTests {
    static let stage = """
        [stage]
        id = "person-test"
        audience = "person"
        order = 1
        name_zh = "测试"
        name_en = "Test"

        """

    static func item(id: String = "test-item", extra: String = "", kind: String = "immediate", days: Int = 0) -> String {
        """
        [[item]]
        id = "\(id)"
        name_zh = "测试事项"
        name_en = "Test item"
        keywords = ["测试"]
        department_zh = "测试局"
        department_en = "Test bureau"
        kind = "\(kind)"
        time_limit_days = \(days)
        fee_fen = 0
        zero_material = false
        accept_with_gaps = false
        profiles = ["citizen"]
        where_zh = "窗口"
        where_en = "Window"
        materials_zh = ["身份证"]
        materials_en = ["ID card"]
        action = "guide-only"
        \(extra)

        """
    }

    func failure(_ files: [(String, String)]) -> ConfigurationError? {
        do {
            _ = try CatalogLoader.load(files: files.map { (name: $0.0, text: $0.1) })
            return nil
        } catch {
            return error
        }
    }

    @Test("The built-in catalog has the 12 life-cycle stages and at least 40 items")
    func builtIn() throws {
        let catalog = try CatalogLoader.builtIn()
        #expect(catalog.stages.count == 12)
        #expect(catalog.stages.filter { $0.audience == .person }.count == 8)
        #expect(catalog.stages.filter { $0.audience == .legal }.count == 4)
        #expect(catalog.itemCount >= 40)
        let bundle = try #require(catalog.item(id: "enterprise-opening-bundle"))
        #expect(bundle.profiles == [.enterprise])
        #expect(bundle.fields.first { $0.id == "sub-items" }?.multiple == true)
        #expect(bundle.fields.first { $0.id == "sub-items" }?.choices.count == 7)
        for zero in ["sewage-discharge-permit", "shop-sign-permit", "seniors-allowance"] {
            #expect(catalog.item(id: zero)?.zeroMaterial == true, "\(zero)")
        }
        #expect(catalog.item(id: "water-bill")?.action == .pay)
        #expect(catalog.item(id: "social-insurance-lookup")?.action == .lookup)
        // Every name fits a menu line.
        for stage in catalog.stages {
            for item in stage.items { #expect(item.name.chinese.displayWidth <= 24) }
        }
    }

    @Test("A valid minimal file loads")
    func minimal() throws {
        let catalog = try CatalogLoader.load(files: [("a.toml", Self.stage + Self.item())])
        #expect(catalog.item(id: "test-item")?.materials.first?.english == "ID card")
    }

    @Test("An unknown key in an item names the file, line and key")
    func unknownKey() throws {
        let error = try #require(failure([("person-01.toml", Self.stage + Self.item(extra: "colour = \"red\""))]))
        #expect(error.description == "person-01.toml:25: item[0].colour: unknown key")
    }

    @Test("An unknown key in the second field of the second item is located exactly")
    func nestedLocation() throws {
        let field = """
            [[item.field]]
            id = "a"
            type = "text"
            label_zh = "甲"
            label_en = "A"
            required = true

            [[item.field]]
            id = "b"
            type = "mobile"
            label_zh = "乙"
            label_en = "B"
            required = true
            hint = "x"
            """
        let text = Self.stage + Self.item(id: "first") + Self.item(id: "second").replacingOccurrences(of: "guide-only", with: "apply") + field
        let error = try #require(failure([("f.toml", text)]))
        #expect(error.key == "item[1].field[1].hint")
        #expect(error.line == text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("hint") }! + 1)
    }

    @Test("Schema rules are enforced with the key at fault", arguments: [
        (item(kind: "promised", days: 0), "item[0].time_limit_days"),
        (item(extra: "").replacingOccurrences(of: "materials_en = [\"ID card\"]", with: "materials_en = []"), "item[0].materials_en"),
        (item(id: "Bad_ID"), "item[0].id"),
        (item().replacingOccurrences(of: "profiles = [\"citizen\"]", with: "profiles = [\"tourist\"]"), "item[0].profiles"),
        (item().replacingOccurrences(of: "fee_fen = 0", with: "fee_fen = \"free\""), "item[0].fee_fen"),
        (item().replacingOccurrences(of: "action = \"guide-only\"", with: "action = \"apply\""), "item[0].action"),
    ])
    func rules(text: String, key: String) throws {
        let error = try #require(failure([("x.toml", Self.stage + text)]))
        #expect(error.key == key)
        #expect(error.line > 0)
    }

    @Test("The same item id in two files is refused, naming both")
    func duplicates() throws {
        let error = try #require(failure([
            ("a.toml", Self.stage + Self.item()),
            ("b.toml", Self.stage.replacingOccurrences(of: "person-test", with: "person-other") + Self.item()),
        ]))
        #expect(error.file == "b.toml")
        #expect(error.reason.contains("also defined in a.toml"))
    }

    @Test("A syntax error names the file and line")
    func syntax() throws {
        let error = try #require(failure([("s.toml", Self.stage + "[[item]\nid = 1\n")]))
        #expect(error.kindName == "syntax")
        #expect(error.line == 7)  // the line of "[[item]"
    }
}
