/// The languages a terminal speaks. Chinese is the default; English on request.
public enum Language: String, Sendable, Hashable, CaseIterable {
    case chinese = "zh-CN"
    case english = "en"

    /// The other language, for the language switch.
    public var other: Language { self == .chinese ? .english : .chinese }
}
