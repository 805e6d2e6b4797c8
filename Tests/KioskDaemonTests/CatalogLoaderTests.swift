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

    /// A bundle (an apply item) whose one choice field's choices are the items `choices`.
    static func bundle(choiceItems: String, choices: Int = 2) -> String {
        let zh = (1...choices).map { "\"子项\($0)\"" }.joined(separator: ", ")
        let en = (1...choices).map { "\"Part \($0)\"" }.joined(separator: ", ")
        return item(id: "the-bundle").replacingOccurrences(of: "guide-only", with: "apply") + """
            [[item.field]]
            id = "sub-items"
            type = "choice"
            label_zh = "办理事项"
            label_en = "Services"
            multiple = true
            choices_zh = [\(zh)]
            choices_en = [\(en)]
            \(choiceItems)

            """
    }

    @Test("A bundle's choices name their items and those items' requirements are enforced on the form")
    func requiresGood() throws {
        // Given a licence item, a seal item that requires it, and a bundle of the two
        let text = Self.stage + Self.item(id: "licence") + Self.item(id: "seal", extra: "requires = [\"licence\"]")
            + Self.bundle(choiceItems: "choice_items = [\"licence\", \"seal\"]")
        // When it loads
        let catalog = try CatalogLoader.load(files: [("a.toml", text)])
        // Then the seal requires the licence and the bundle's field knows it by choice
        #expect(catalog.item(id: "seal")?.requires == ["licence"])
        let field = try #require(catalog.item(id: "the-bundle")?.fields.first)
        #expect(field.choiceItems == ["licence", "seal"])
        #expect(field.choiceRequires == [[], [0]])
        #expect(field.check("2", today: CalendarDate(year: 2026, month: 1, day: 1)!) == .invalid(messageKey: "form.error.requires"))
        #expect(field.check("2 1", today: CalendarDate(year: 2026, month: 1, day: 1)!) == .valid(value: "part-1,part-2", needsReview: false))
        // And the shipped catalog says seal engraving and the bank account need the licence
        let shipped = try CatalogLoader.builtIn()
        #expect(shipped.item(id: "seal-engraving")?.requires == ["business-licence"])
        #expect(shipped.item(id: "bank-account-opening")?.requires == ["business-licence"])
        #expect(shipped.item(id: "enterprise-opening-bundle")?.fields.first?.choiceRequires == [[], [0], [0], [], [], [], []])
    }

    @Test("A requirement in another file is found; an unknown one names the file, line and key", arguments: [
        ("requires = [\"nowhere\"]", "", "item[1].requires", "\"nowhere\" is not an item of the catalog"),
        ("requires = [\"seal\"]", "", "item[1].requires", "an item cannot require itself"),
        ("requires = [\"Bad_Id\"]", "", "item[1].requires", "must be lowercase"),
        ("requires = [\"licence\", \"licence\"]", "", "item[1].requires", "names an item twice"),
        ("requires = \"licence\"", "", "item[1].requires", "an array of strings"),
        ("", "choice_items = [\"licence\", \"nowhere\"]", "item[2].field[0].choice_items", "\"nowhere\" is not an item"),
        ("", "choice_items = [\"licence\"]", "item[2].field[0].choice_items", "has 1 entries, choices_zh has 2"),
        ("", "choice_items = [\"licence\", \"licence\"]", "item[2].field[0].choice_items", "names an item twice"),
        ("requires = [\"other\"]", "choice_items = [\"licence\", \"seal\"]", "item[2].field[0].choice_items",
         "\"seal\" requires \"other\", which is not a choice here"),
    ])
    func requiresBad(sealExtra: String, bundleExtra: String, key: String, reason: String) throws {
        // Given a catalog whose seal item or bundle names items wrongly (the item "other" in a second file)
        let text = Self.stage + Self.item(id: "licence") + Self.item(id: "seal", extra: sealExtra)
            + Self.bundle(choiceItems: bundleExtra)
        let other = Self.stage.replacingOccurrences(of: "person-test", with: "person-other") + Self.item(id: "other")
        // When it loads, then the fault names the file, the line of the key and the key
        let error = try #require(failure([("a.toml", text), ("b.toml", other)]))
        #expect(error.file == "a.toml")
        #expect(error.key == key)
        #expect(error.reason.contains(reason), "\(error.reason)")
        let keyName = key.split(separator: ".").last.map(String.init) ?? key
        let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix(keyName + " =") }.map { $0 + 1 }
        #expect(error.line == line, "\(error)")
    }

    @Test("A requirement on an item in another file loads")
    func requiresAcrossFiles() throws {
        let a = Self.stage + Self.item(id: "seal", extra: "requires = [\"licence\"]")
        let b = Self.stage.replacingOccurrences(of: "person-test", with: "person-other") + Self.item(id: "licence")
        #expect(try CatalogLoader.load(files: [("a.toml", a), ("b.toml", b)]).item(id: "seal")?.requires == ["licence"])
    }

    @Test("An amount's unit is yuan or wan-yuan; another unit, or a unit on a text field, names the key")
    func amountUnit() throws {
        func amount(_ extra: String, type: String = "amount") -> String {
            Self.stage + Self.item(id: "capital").replacingOccurrences(of: "guide-only", with: "apply") + """
                [[item.field]]
                id = "capital"
                type = "\(type)"
                label_zh = "注册资本"
                label_en = "Capital"
                \(extra)

                """
        }
        let catalog = try CatalogLoader.load(files: [("a.toml", amount("unit = \"wan-yuan\""))])
        #expect(catalog.item(id: "capital")?.fields.first?.unit == .wanYuan)
        #expect(try CatalogLoader.load(files: [("a.toml", amount(""))]).item(id: "capital")?.fields.first?.unit == .yuan)
        let bad = try #require(failure([("a.toml", amount("unit = \"dollars\""))]))
        #expect(bad.key == "item[0].field[0].unit" && bad.line > 0)
        let misplaced = try #require(failure([("a.toml", amount("unit = \"wan-yuan\"", type: "text"))]))
        #expect(misplaced.key == "item[0].field[0].unit" && misplaced.kindName == "unknown-key")
    }
}
