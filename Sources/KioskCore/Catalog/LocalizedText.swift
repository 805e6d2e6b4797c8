/// A text in both languages of the terminals.
public struct LocalizedText: Sendable, Hashable {
    public var chinese: String
    public var english: String

    public init(chinese: String, english: String) {
        self.chinese = chinese
        self.english = english
    }

    /// The text in `language`.
    public func callAsFunction(_ language: Language) -> String {
        language == .chinese ? chinese : english
    }
}
