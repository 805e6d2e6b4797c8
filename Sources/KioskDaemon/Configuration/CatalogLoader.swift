import Foundation
import KioskCore
import TOMLKit

/// Reads the service catalog: one TOML file per life stage (`Resources/catalog/`).
///
/// Every rule of the schema in `Resources/catalog/README.md` is checked; the first fault
/// is a `ConfigurationError` naming the file, the line and the key. A catalog with a fault
/// is never half-loaded: the caller keeps the catalog it had.
public enum CatalogLoader {
    /// The catalog built into kioskd (the files of `Resources/catalog/`).
    public static func builtIn() throws(ConfigurationError) -> Catalog {
        try load(files: builtInFileTexts)
    }

    /// Loads every `*.toml` file of `directory`, in name order.
    public static func load(directory: String) throws(ConfigurationError) -> Catalog {
        try load(files: try files(inDirectory: directory))
    }

    /// The built-in catalog's files, as (name, text) pairs.
    static var builtInFileTexts: [(name: String, text: String)] {
        builtInFiles.map { ("Resources/catalog/\($0.name)", String(decoding: $0.bytes, as: UTF8.self)) }
    }

    /// Every `*.toml` file of `directory`, in name order, as (path, text) pairs.
    static func files(inDirectory directory: String) throws(ConfigurationError) -> [(name: String, text: String)] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".toml") }.sorted()
        } catch {
            throw ConfigurationError(file: directory, line: 0, key: "", .unreadable("not a readable folder"))
        }
        var files: [(String, String)] = []
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigurationError(file: path, line: 0, key: "", .unreadable("not readable as UTF-8 text"))
            }
            files.append((path, text))
        }
        return files
    }

    /// Loads the catalog from (file name, text) pairs.
    public static func load(files: [(name: String, text: String)]) throws(ConfigurationError) -> Catalog {
        guard !files.isEmpty else {
            throw ConfigurationError(file: "catalog", line: 0, key: "", .invalidValue("the catalog has no files"))
        }
        var stages: [CatalogStage] = []
        var readers: [TOMLTableReader] = []
        var itemFiles: [String: String] = [:]
        var stageFiles: [String: String] = [:]
        for (name, text) in files {
            let root = try TOMLTable.parse(text, file: name)
            var reader = TOMLTableReader(table: root, path: "", file: name, locator: TOMLKeyLocator(source: text))
            defer { readers.append(reader) }
            let stage = try reader.readStage()
            if let other = stageFiles[stage.id] {
                throw reader.error("stage.id", .invalidValue("stage \"\(stage.id)\" is also defined in \(other)"))
            }
            stageFiles[stage.id] = name
            for (index, item) in stage.items.enumerated() {
                if let other = itemFiles[item.id] {
                    throw reader.error("item[\(index)].id", .invalidValue("item \"\(item.id)\" is also defined in \(other)"))
                }
                itemFiles[item.id] = name
            }
            stages.append(stage)
        }
        try checkReferences(stages, readers: readers)
        return Catalog(stages: stages)
    }

    /// The ids that name other items (`requires`, `choice_items`) name items of the
    /// catalog, in any file; a bundle's choice needs only choices of the same bundle, so
    /// every choice can be picked.
    static func checkReferences(_ stages: [CatalogStage], readers: [TOMLTableReader]) throws(ConfigurationError) {
        var items: [String: CatalogItem] = [:]
        for stage in stages { for item in stage.items { items[item.id] = item } }
        for (stage, reader) in zip(stages, readers) {
            for (index, item) in stage.items.enumerated() {
                for id in item.requires where items[id] == nil {
                    throw reader.error("item[\(index)].requires", .invalidValue("\"\(id)\" is not an item of the catalog"))
                }
                for (fieldIndex, field) in item.fields.enumerated() {
                    let key = "item[\(index)].field[\(fieldIndex)].choice_items"
                    for id in field.choiceItems {
                        guard let choice = items[id] else {
                            throw reader.error(key, .invalidValue("\"\(id)\" is not an item of the catalog"))
                        }
                        if let missing = choice.requires.first(where: { !field.choiceItems.contains($0) }) {
                            throw reader.error(key, .invalidValue("\"\(id)\" requires \"\(missing)\", which is not a choice here"))
                        }
                    }
                }
            }
        }
    }

    static let builtInFiles: [(name: String, bytes: [UInt8])] = [
        ("person-01-birth.toml", PackageResources.person_01_birth_toml),
        ("person-02-schooling.toml", PackageResources.person_02_schooling_toml),
        ("person-03-employment.toml", PackageResources.person_03_employment_toml),
        ("person-04-housing.toml", PackageResources.person_04_housing_toml),
        ("person-05-marriage.toml", PackageResources.person_05_marriage_toml),
        ("person-06-retirement.toml", PackageResources.person_06_retirement_toml),
        ("person-07-after-death.toml", PackageResources.person_07_after_death_toml),
        ("person-08-living.toml", PackageResources.person_08_living_toml),
        ("legal-01-establishment.toml", PackageResources.legal_01_establishment_toml),
        ("legal-02-construction.toml", PackageResources.legal_02_construction_toml),
        ("legal-03-operation.toml", PackageResources.legal_03_operation_toml),
        ("legal-04-exit.toml", PackageResources.legal_04_exit_toml),
    ]
}

extension TOMLTableReader {
    /// Lowercase letters and digits in groups joined by single hyphens: `^[a-z0-9]+(-[a-z0-9]+)*$`.
    func checkID(_ id: String, key: String) throws(ConfigurationError) {
        let groups = id.split(separator: "-", omittingEmptySubsequences: false)
        let valid = !groups.isEmpty && groups.allSatisfy { group in
            !group.isEmpty && group.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
        guard valid else {
            throw error(key, .invalidValue("\"\(id)\" must be lowercase letters, digits and single hyphens"))
        }
    }

    mutating func localized(_ key: String) throws(ConfigurationError) -> LocalizedText {
        LocalizedText(chinese: try required("\(key)_zh"), english: try required("\(key)_en"))
    }

    mutating func readStage() throws(ConfigurationError) -> CatalogStage {
        guard var stage = try subtable("stage") else { throw error("stage", .missingKey) }
        let id = try stage.required("id")
        try stage.checkID(id, key: "id")
        let audience = try stage.choice("audience", default: CatalogStage.Audience.person, of: CatalogStage.Audience.allCases)
        let order = try stage.integer("order", default: 0, range: 1...99)
        let name = try stage.localized("name")
        try stage.rejectUnknownKeys()
        var items: [CatalogItem] = []
        for var reader in try tables("item") {
            items.append(try reader.readItem())
        }
        guard items.count >= 1 else { throw error("item", .invalidValue("a stage needs at least one [[item]]")) }
        try rejectUnknownKeys()
        return CatalogStage(id: id, audience: audience, order: order, name: name, items: items)
    }

    mutating func readItem() throws(ConfigurationError) -> CatalogItem {
        let id = try required("id")
        try checkID(id, key: "id")
        let name = try localized("name")
        guard name.chinese.displayWidth <= 24 else {
            throw error("name_zh", .invalidValue("\"\(name.chinese)\" is wider than 24 columns"))
        }
        let keywords = try strings("keywords")
        let synonyms = try strings("synonyms", default: [])
        let department = try localized("department")
        let kind = try choice("kind", default: CatalogItem.Kind.immediate, of: CatalogItem.Kind.allCases)
        let days = try integer("time_limit_days", default: 0, range: 0...365)
        guard (kind == .immediate) == (days == 0) else {
            throw error("time_limit_days", .invalidValue("must be 0 exactly when kind is \"immediate\""))
        }
        let fee = try integer("fee_fen", default: 0, range: 0...100_000_000)
        let zeroMaterial = try bool("zero_material", default: false)
        let acceptWithGaps = try bool("accept_with_gaps", default: false)
        let profileNames = try strings("profiles", default: ["citizen"])
        var profiles: Set<TerminalProfile> = []
        for name in profileNames {
            guard let profile = TerminalProfile(rawValue: name) else {
                throw error("profiles", .invalidValue("\"\(name)\" is not one of: citizen, enterprise"))
            }
            profiles.insert(profile)
        }
        let location = try localized("where")
        let materialsZh = try strings("materials_zh")
        let materialsEn = try strings("materials_en")
        guard materialsZh.count == materialsEn.count else {
            throw error("materials_en", .invalidValue("has \(materialsEn.count) entries, materials_zh has \(materialsZh.count)"))
        }
        if zeroMaterial, !materialsZh.isEmpty {
            throw error("materials_zh", .invalidValue("a zero-material item lists no materials"))
        }
        let action = try choice("action", default: CatalogItem.Action.guideOnly, of: CatalogItem.Action.allCases)
        let requires = try strings("requires", default: [])
        for required in requires {
            try checkID(required, key: "requires")
            if required == id { throw error("requires", .invalidValue("an item cannot require itself")) }
        }
        if Set(requires).count != requires.count { throw error("requires", .invalidValue("names an item twice")) }
        var fields: [FormField] = []
        for var reader in try tables("field") {
            let field = try reader.readField()
            if fields.contains(where: { $0.id == field.id }) {
                throw reader.error("id", .invalidValue("another field of this item is \"\(field.id)\""))
            }
            fields.append(field)
        }
        if action == .guideOnly, !fields.isEmpty {
            throw error("field", .invalidValue("a guide-only item has no form fields"))
        }
        if action != .guideOnly, fields.isEmpty {
            throw error("action", .invalidValue("\"\(action.rawValue)\" needs at least one [[item.field]]"))
        }
        try rejectUnknownKeys()
        var item = CatalogItem(
            id: id, name: name, keywords: keywords, department: department, kind: kind, timeLimitDays: days,
            feeFen: Int64(fee), zeroMaterial: zeroMaterial, acceptWithGaps: acceptWithGaps, profiles: profiles,
            location: location, materials: zip(materialsZh, materialsEn).map { LocalizedText(chinese: $0, english: $1) },
            action: action, fields: fields
        )
        item.synonyms = synonyms
        item.requires = requires
        return item
    }

    mutating func readField() throws(ConfigurationError) -> FormField {
        let id = try required("id")
        try checkID(id, key: "id")
        let type = try choice("type", default: FormField.FieldType.text, of: FormField.FieldType.allCases)
        let label = try localized("label")
        let isRequired = try bool("required", default: true)
        var field = FormField(id: id, type: type, label: label, required: isRequired)
        switch type {
        case .text:
            field.maxLength = try integer("max_length", default: 100, range: 1...2000)
        case .amount:
            field.maxFen = Int64(try integer("max_fen", default: 100_000_000, range: 1...Int(Int64.max / 2)))
            field.unit = try choice("unit", default: FormField.AmountUnit.yuan, of: FormField.AmountUnit.allCases)
        case .choice:
            let zh = try strings("choices_zh")
            let en = try strings("choices_en")
            guard !zh.isEmpty else { throw error("choices_zh", .invalidValue("a choice needs at least one choice")) }
            guard zh.count == en.count else {
                throw error("choices_en", .invalidValue("has \(en.count) entries, choices_zh has \(zh.count)"))
            }
            field.choices = zip(zh, en).map { LocalizedText(chinese: $0, english: $1) }
            field.multiple = try bool("multiple", default: false)
            let items = try strings("choice_items", default: [])
            for item in items { try checkID(item, key: "choice_items") }
            guard items.isEmpty || items.count == zh.count else {
                throw error("choice_items", .invalidValue("has \(items.count) entries, choices_zh has \(zh.count)"))
            }
            if Set(items).count != items.count { throw error("choice_items", .invalidValue("names an item twice")) }
            field.choiceItems = items
        default:
            break
        }
        try rejectUnknownKeys()
        return field
    }
}
