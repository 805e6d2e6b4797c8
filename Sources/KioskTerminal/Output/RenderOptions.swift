/// How a terminal can draw, from its configuration.
public struct RenderOptions: Sendable, Hashable {
    /// Draw box lines and arrows with ASCII (`+ - |`) for terminals without those glyphs.
    public var asciiOnly: Bool
    /// Send colours; when false only bold, dim, underline and inverse are used.
    public var colors: Bool
    /// The terminal draws DEC double-width and double-height lines (`ESC # 3/4/6`): xterm,
    /// Konsole, mlterm and DEC's own terminals do; the Linux console, kmscon, fbterm and
    /// VTE-based terminals do not. Elder mode uses them for large titles and choices.
    public var doubleSizeLines: Bool

    public init(asciiOnly: Bool = false, colors: Bool = true, doubleSizeLines: Bool = false) {
        self.asciiOnly = asciiOnly
        self.colors = colors
        self.doubleSizeLines = doubleSizeLines
    }
}
