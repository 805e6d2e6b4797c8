/// The hall as printed on its slips (`[hall]` in kioskd.toml): its name, address and
/// service hotline. Empty values leave their lines off the paper.
public struct HallInfo: Sendable, Hashable {
    public var name: String
    public var address: String
    public var hotline: String

    public init(name: String = "", address: String = "", hotline: String = "") {
        self.name = name
        self.address = address
        self.hotline = hotline
    }
}
