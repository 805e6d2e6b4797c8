/// One sub-item of a bundle as people read it: the catalog's name of the choice and, when
/// the choice is a catalog item, that item's department.
public struct SubItem: Sendable, Hashable {
    /// The key the sub-item is stored and sent under (`bank-account`).
    public var key: String
    public var name: LocalizedText
    /// The department that handles it, when the catalog says.
    public var department: LocalizedText?

    public init(key: String, name: LocalizedText, department: LocalizedText? = nil) {
        self.key = key
        self.name = name
        self.department = department
    }
}

extension Catalog {
    /// The sub-items `keys` of an application for `itemID`, in the order of the bundle's
    /// choices; a key the catalog does not know (an item changed by a reload, a centre's
    /// id) comes last, named by the key itself, stripped of control characters.
    public func subItems(of itemID: String, keys: some Sequence<String>) -> [SubItem] {
        let field = item(id: itemID)?.fields.first { $0.type == .choice && $0.multiple }
        var known: [(Int, SubItem)] = []
        var unknown: [SubItem] = []
        for key in Set(keys) {
            if let field, let index = field.choices.indices.first(where: { field.choiceKey($0) == key }) {
                let linked = index < field.choiceItems.count ? item(id: field.choiceItems[index]) : nil
                known.append((index, SubItem(key: key, name: field.choices[index], department: linked?.department)))
            } else {
                let name = UntrustedText(key).sanitized
                unknown.append(SubItem(key: key, name: LocalizedText(chinese: name, english: name)))
            }
        }
        return known.sorted { $0.0 < $1.0 }.map(\.1) + unknown.sorted { $0.key < $1.key }
    }

    /// The stages with every bundle's `choiceRequires` filled from the `requires` of the
    /// items its choices are: the form can then refuse a sub-item without what it needs.
    static func resolvingRequirements(_ stages: [CatalogStage]) -> [CatalogStage] {
        var requires: [String: [String]] = [:]
        for stage in stages { for item in stage.items where !item.requires.isEmpty { requires[item.id] = item.requires } }
        guard !requires.isEmpty else { return stages }
        return stages.map { stage in
            var stage = stage
            stage.items = stage.items.map { item in
                var item = item
                item.fields = item.fields.map { field in
                    guard !field.choiceItems.isEmpty else { return field }
                    var field = field
                    field.choiceRequires = field.choiceItems.map { id in
                        (requires[id] ?? []).compactMap { field.choiceItems.firstIndex(of: $0) }
                    }
                    return field
                }
                return item
            }
            return stage
        }
    }
}

extension FormField {
    /// The 0-based choices picked by `raw` (1-based numbers separated by commas or
    /// spaces); nil when it is not a valid pick.
    public func pickedChoices(_ raw: String) -> [Int]? {
        let text = UntrustedText(raw).sanitized.trimmingSpaces
        let numbers = text.split { $0 == "," || $0 == " " || $0 == "，" }.map { Int($0) }
        guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil && (1...choices.count).contains($0!) }),
              multiple || numbers.count == 1
        else { return nil }
        var seen = Set<Int>()
        return numbers.compactMap { $0.map { $0 - 1 } }.filter { seen.insert($0).inserted }.sorted()
    }

    /// The first picked choice that needs another choice not picked, and the choice it
    /// needs; nil when every requirement is met.
    public func unmetRequirement(picked: [Int]) -> (choice: Int, requires: Int)? {
        for choice in picked where choice < choiceRequires.count {
            if let missing = choiceRequires[choice].first(where: { !picked.contains($0) }) { return (choice, missing) }
        }
        return nil
    }
}
