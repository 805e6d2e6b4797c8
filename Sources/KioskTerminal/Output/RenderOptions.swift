/// How a terminal can draw, from its configuration.
public struct RenderOptions: Sendable, Hashable {
    /// Draw box lines and arrows with ASCII (`+ - |`) for terminals without those glyphs.
    public var asciiOnly: Bool
    /// Send colours; when false only bold, dim, underline and inverse are used.
    public var colors: Bool

    public init(asciiOnly: Bool = false, colors: Bool = true) {
        self.asciiOnly = asciiOnly
        self.colors = colors
    }
}
