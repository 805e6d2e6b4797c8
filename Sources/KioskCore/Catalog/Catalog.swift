/// The service catalog: every service the terminals can explain, apply for, pay or look
/// up, organised as the life-cycle halls of the seeds (natural persons by 8 life stages,
/// legal persons by 4). Loaded from `Resources/catalog/` and validated before use.
public struct Catalog: Sendable, Hashable {
    /// The stages, persons first, each in its order.
    public let stages: [CatalogStage]
    private let index: [String: CatalogItem]
    /// Each item's Chinese name, keywords and synonyms spelled in pinyin, made once here
    /// so a search on every keystroke only compares strings.
    private let pinyin: [String: PinyinKeys]
    /// Every item in catalog order with its searched texts joined and lowercased, made once
    /// here: building them on every keystroke cost about 1.5 ms a key, and a flooded
    /// terminal in the search held its event loop for 24 ms per 16 keys.
    private let searchable: [(item: CatalogItem, text: [UInt8])]

    struct PinyinKeys: Sendable, Hashable {
        var full: [[UInt8]]
        var initials: [[UInt8]]
    }

    public init(stages: [CatalogStage]) {
        let stages = Self.resolvingRequirements(stages)
        self.stages = stages.sorted { ($0.audience.rank, $0.order) < ($1.audience.rank, $1.order) }
        var index: [String: CatalogItem] = [:]
        var pinyin: [String: PinyinKeys] = [:]
        for stage in stages {
            for item in stage.items {
                index[item.id] = item
                var keys = PinyinKeys(full: [], initials: [])
                for text in [item.name.chinese, item.department.chinese] + item.keywords + item.synonyms {
                    let spelled = Pinyin.spellings(of: text)
                    keys.full += spelled.full.sorted().map { Array($0.utf8) }
                    keys.initials += spelled.initials.sorted().map { Array($0.utf8) }
                }
                pinyin[item.id] = keys
            }
        }
        self.index = index
        self.pinyin = pinyin
        searchable = self.stages.flatMap(\.items).map { item in
            let texts = [item.name.chinese, item.name.english, item.department.chinese, item.department.english]
                + item.keywords + item.synonyms
            return (item, Array(texts.joined(separator: "\n").lowercased().utf8))
        }
    }

    public static func == (lhs: Catalog, rhs: Catalog) -> Bool {
        lhs.stages == rhs.stages
    }

    /// Everything else is made from the stages.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(stages)
    }

    public static let empty = Catalog(stages: [])

    public func item(id: String) -> CatalogItem? { index[id] }

    public func stage(id: String) -> CatalogStage? { stages.first { $0.id == id } }

    public var itemCount: Int { index.count }

    /// Items whose names, keywords, synonyms or department contain every word of `query`,
    /// case insensitive, in catalog order; limited to the items shown to `profile`. A word
    /// of plain letters also matches the pinyin of the Chinese texts, spelled in full
    /// (`gongjijin`) or by initials (`gjj`), so no input method is needed.
    public func search(_ query: String, profile: TerminalProfile) -> [CatalogItem] {
        let words = query.lowercased().split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return [] }
        // Compared as UTF-8 bytes: both sides are lowercased text from the same sources, and
        // a comparison by Characters cost most of a keystroke in the search.
        let needles = words.map { word in
            (bytes: Array(word.utf8), spellable: word.count >= 2 && word.allSatisfy { $0.isASCII && $0.isLetter })
        }
        return searchable.compactMap { item, haystack in
            guard item.profiles.contains(profile) else { return nil }
            let keys = pinyin[item.id]
            let found = needles.allSatisfy { needle in
                if haystack.containsBytes(needle.bytes) { return true }
                guard needle.spellable, let keys else { return false }
                return keys.full.contains { $0.containsBytes(needle.bytes) } || keys.initials.contains { $0.containsBytes(needle.bytes) }
            }
            return found ? item : nil
        }
    }
}

/// One life stage: a hall of the catalog.
public struct CatalogStage: Sendable, Hashable, Identifiable {
    public enum Audience: String, Sendable, Hashable, CaseIterable {
        /// Natural persons (自然人).
        case person
        /// Legal persons (法人).
        case legal

        var rank: Int { self == .person ? 0 : 1 }
    }

    public var id: String
    public var audience: Audience
    public var order: Int
    public var name: LocalizedText
    public var items: [CatalogItem]

    public init(id: String, audience: Audience, order: Int, name: LocalizedText, items: [CatalogItem]) {
        self.id = id
        self.audience = audience
        self.order = order
        self.name = name
        self.items = items
    }

    /// The items shown on a terminal of `profile`.
    public func items(for profile: TerminalProfile) -> [CatalogItem] {
        items.filter { $0.profiles.contains(profile) }
    }
}

/// One service of the catalog.
public struct CatalogItem: Sendable, Hashable, Identifiable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// 即办件: done on the spot.
        case immediate
        /// 承诺件: done within a promised number of working days.
        case promised
    }

    public enum Action: String, Sendable, Hashable, CaseIterable {
        case apply
        case guideOnly = "guide-only"
        case pay
        case lookup
    }

    public var id: String
    public var name: LocalizedText
    public var keywords: [String]
    /// What citizens say for the item in their own words (开饭店), matched like keywords.
    public var synonyms: [String] = []
    /// The items that must be chosen with this one when it is a sub-item of a bundle
    /// (seal engraving and bank account opening need the business licence), by id.
    public var requires: [String] = []
    public var department: LocalizedText
    public var kind: Kind
    public var timeLimitDays: Int
    /// The applicant's fee in fen.
    public var feeFen: Int64
    public var zeroMaterial: Bool
    public var acceptWithGaps: Bool
    public var profiles: Set<TerminalProfile>
    public var location: LocalizedText
    public var materials: [LocalizedText]
    public var action: Action
    public var fields: [FormField]

    public init(
        id: String, name: LocalizedText, keywords: [String], department: LocalizedText, kind: Kind,
        timeLimitDays: Int, feeFen: Int64, zeroMaterial: Bool, acceptWithGaps: Bool, profiles: Set<TerminalProfile>,
        location: LocalizedText, materials: [LocalizedText], action: Action, fields: [FormField]
    ) {
        self.id = id
        self.name = name
        self.keywords = keywords
        self.department = department
        self.kind = kind
        self.timeLimitDays = timeLimitDays
        self.feeFen = feeFen
        self.zeroMaterial = zeroMaterial
        self.acceptWithGaps = acceptWithGaps
        self.profiles = profiles
        self.location = location
        self.materials = materials
        self.action = action
        self.fields = fields
    }
}

/// A field of an application form, declared by the catalog.
public struct FormField: Sendable, Hashable, Identifiable {
    public enum FieldType: String, Sendable, Hashable, CaseIterable {
        case residentID = "resident-id"
        case creditCode = "credit-code"
        case mobile, text, address, date, amount, choice
    }

    public var id: String
    public var type: FieldType
    public var label: LocalizedText
    public var required: Bool
    /// For text: the most characters accepted.
    public var maxLength: Int?
    /// For amounts: the largest amount accepted, in fen.
    public var maxFen: Int64?
    /// For choices: the choices, in order.
    public var choices: [LocalizedText]
    /// For choices: any number may be picked.
    public var multiple: Bool
    /// For fields kioskd makes itself (query forms): the localization key of the label,
    /// drawn instead of `label`.
    public var labelKey: String?
    /// For amounts: the unit the amount is typed and shown in. The value kept and sent is
    /// always whole fen, whatever the unit.
    public var unit: AmountUnit = .yuan
    /// For a bundle's choices: the catalog item each choice is, in the order of `choices`
    /// (empty when the choices are not items): where a sub-item's department comes from.
    public var choiceItems: [String] = []
    /// For a bundle's choices: per choice, the indices of the choices it needs picked with
    /// it, from the `requires` of the items in `choiceItems` (resolved by `Catalog`).
    public var choiceRequires: [[Int]] = []

    /// The unit an amount field is typed in.
    public enum AmountUnit: String, Sendable, Hashable, CaseIterable {
        /// 元, with at most two decimals.
        case yuan
        /// 万元 (ten thousand yuan), with at most six decimals: 1 万元 is 1 000 000 fen.
        case wanYuan = "wan-yuan"
    }

    public init(
        id: String, type: FieldType, label: LocalizedText, required: Bool, maxLength: Int? = nil, maxFen: Int64? = nil,
        choices: [LocalizedText] = [], multiple: Bool = false, labelKey: String? = nil
    ) {
        self.labelKey = labelKey
        self.id = id
        self.type = type
        self.label = label
        self.required = required
        self.maxLength = maxLength
        self.maxFen = maxFen
        self.choices = choices
        self.multiple = multiple
    }
}

/// Money for people: fen as yuan with two decimals.
public enum Money {
    /// "50" for 50 000 000 fen, "12.5" for 12 500 000: fen as 万元 (ten thousand yuan),
    /// without trailing zeros, exact to the fen.
    public static func wanYuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        var fraction = String(magnitude % 1_000_000)
        fraction = String(repeating: "0", count: 6 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(sign)\(magnitude / 1_000_000)" + (fraction.isEmpty ? "" : "." + fraction)
    }

    /// Fen for a typed amount of 万元 ("50", "12.5", "0.0001"): at most six decimals (one
    /// fen), nil for anything else and for more than 10^7 万元.
    public static func fen(parsingWanYuan text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, (1...7).contains(whole.count),
              whole.allSatisfy({ $0.isASCII && $0.isNumber }), let wan = Int64(whole)
        else { return nil }
        var fen: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...6).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int64(fraction + String(repeating: "0", count: 6 - fraction.count))
            else { return nil }
            fen = value
        }
        return wan * 1_000_000 + fen
    }

    /// "¥20.00" for 2000 fen.
    public static func yuan(_ fen: Int64) -> String {
        let sign = fen < 0 ? "-" : ""
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(sign)¥\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// Fen for a typed amount of yuan ("12", "12.3", "12.34", "¥12.34"); nil for anything
    /// else, for more than two decimals, and for amounts beyond 10^13 fen.
    public static func fen(parsingYuan text: String) -> Int64? {
        var rest = Substring(text)
        if rest.first == "¥" || rest.first == "￥" { rest = rest.dropFirst() }
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, (1...11).contains(whole.count),
              whole.allSatisfy({ $0.isASCII && $0.isNumber }), let yuan = Int64(whole)
        else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int64(fraction)
            else { return nil }
            cents = fraction.count == 1 ? value * 10 : value
        }
        return yuan * 100 + cents
    }
}

extension [UInt8] {
    /// Whether `needle` occurs in these bytes (an empty needle always does).
    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard needle.count <= count else { return false }
        var start = 0
        while start <= count - needle.count {
            if self[start] == first {
                var offset = 1
                while offset < needle.count, self[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            start += 1
        }
        return false
    }
}
